"""A resident's notifications are part of their data: downloaded with it, erased with the account."""

import pytest

from notifications.models import Delivery, Notification
from notifications.services.notify import notify
from partners.selectors.resident_export import resident_data
from partners.services.resident_removal import resident_remove
from tests.notifications.conftest import ANSWERED

pytestmark = pytest.mark.django_db


def _notice(person, key="answered:1"):
    notify(recipients=[person], kind=ANSWERED.code, key=key, params={"count": 2}, url="/me/", user=person)


def test_the_download_holds_the_resident_s_notifications(person):
    _notice(person)
    data = resident_data(resident=person.resident, user=person)
    assert [row["kind"] for row in data["notifications"]] == [ANSWERED.code]


def test_removing_the_account_erases_its_notifications_and_their_mail(person, django_capture_on_commit_callbacks):
    _notice(person)
    other = Notification.objects.count()
    assert Delivery.objects.filter(notification__recipient=person).exists()
    resident_remove(resident=person.resident, user=person)
    assert not Notification.objects.filter(recipient=person).exists()
    assert not Delivery.objects.filter(notification__recipient=person).exists()
    assert Notification.objects.count() == other - 1

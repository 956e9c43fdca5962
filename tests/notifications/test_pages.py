"""The notification centre: the bell on every page, the list, opening, marking read, preferences, unsubscribing."""

import pytest
from django.core import mail
from django.urls import reverse

from common.actors import TRUSTED
from notifications.mail import unsubscribe_token
from notifications.models import Delivery, EmailChoice, Notification, Preference, UserLanguage
from notifications.services.notify import notify
from tests import factories
from tests.pages import official_of, queries_to_get

pytestmark = pytest.mark.django_db
LIST = reverse("notifications:list")
PREFERENCES = reverse("notifications:preferences")


def send(person, key="answered:1", kind="test_answered", url="/me/"):
    notify(recipients=[person], kind=kind, key=key, params={"count": 3}, url=url, user=TRUSTED)


def test_visitors_are_sent_to_the_login_page(client):
    response = client.get(LIST)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_bell_shows_the_unread_count_on_every_page(signed_in, person):
    for n in range(3):
        send(person, key=f"k{n}")
    Notification.objects.filter(key="k0").update(read_at="2026-01-01T00:00Z")
    for url in (reverse("resident_portal:home"), reverse("transparency:home"), LIST):
        html = signed_in.get(url).content.decode()
        assert f'href="{LIST}"' in html and '<span class="bell__count">2<' in html, url


def test_the_bell_is_hidden_from_visitors(client):
    assert 'class="bell' not in client.get(reverse("transparency:home")).content.decode()


def test_the_bell_costs_one_query(signed_in, person):
    home = reverse("transparency:home")
    before = queries_to_get(signed_in, home)
    send(person)
    assert queries_to_get(signed_in, home) == before


def test_the_list_shows_the_persons_own_notifications_newest_first(signed_in, person):
    send(person, key="first", kind="test_other", url="/me/first/")
    send(person, key="second", url="/me/second/")
    send(factories.UserFactory(), key="someone else's")
    response = signed_in.get(LIST)
    items = response.context["items"]
    assert [item["notification"].key for item in items] == ["second", "first"]
    assert items[0]["title"] == "Your daily digest: 3 notifications"
    html = response.content.decode()
    assert reverse("notifications:open", args=[items[0]["notification"].pk]) in html
    assert f'href="{PREFERENCES}"' in html


def test_the_list_is_in_the_viewers_language(signed_in, person):
    send(person)
    signed_in.post(reverse("set_language"), {"language": "zh-hans", "next": LIST})
    html = signed_in.get(LIST).content.decode()
    assert "您的每日摘要：3 条通知" in html


def test_the_list_filters_by_kind_and_unread(signed_in, person):
    send(person, key="a")
    send(person, key="b", kind="test_other")
    send(person, key="c")
    Notification.objects.filter(key="c").update(read_at="2026-01-01T00:00Z")
    keys = lambda query: [i["notification"].key for i in signed_in.get(LIST, query).context["items"]]  # noqa: E731
    assert keys({"kind": "test_answered"}) == ["c", "a"]
    assert keys({"unread": "1"}) == ["b", "a"]
    assert keys({"kind": "test_answered", "unread": "1"}) == ["a"]
    assert keys({"kind": "no-such-kind"}) == ["c", "b", "a"]


def test_the_list_makes_the_same_number_of_queries_for_many_rows(signed_in, person):
    for n in range(2):
        send(person, key=f"few{n}")
    few = queries_to_get(signed_in, LIST)
    for n in range(40):
        send(person, key=f"many{n}")
    assert queries_to_get(signed_in, LIST) == few
    assert queries_to_get(signed_in, LIST + "?page=2") == few


def test_opening_a_notification_marks_it_read_and_goes_to_its_record(signed_in, person):
    send(person, url="/me/complaints/")
    notification = Notification.objects.get()
    response = signed_in.get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302 and response.url == "/me/complaints/"
    notification.refresh_from_db()
    first_read = notification.read_at
    assert first_read is not None
    signed_in.get(reverse("notifications:open", args=[notification.pk]))
    notification.refresh_from_db()
    assert notification.read_at == first_read


def test_an_outside_link_is_never_followed(signed_in, person):
    send(person, url="https://evil.example/")
    response = signed_in.get(reverse("notifications:open", args=[Notification.objects.get().pk]))
    assert response.url == LIST


def test_another_persons_notification_is_not_found(signed_in):
    send(factories.UserFactory(), key="theirs")
    theirs = Notification.objects.get()
    assert signed_in.get(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    assert Notification.objects.get().read_at is None


def test_mark_all_read(signed_in, person):
    send(person, key="a")
    send(person, key="b")
    other = factories.UserFactory()
    send(other, key="c")
    assert signed_in.get(reverse("notifications:read_all")).status_code == 405
    response = signed_in.post(reverse("notifications:read_all"), follow=True)
    assert "2 notifications marked read." in response.content.decode()
    assert not Notification.objects.filter(recipient=person, read_at__isnull=True).exists()
    assert Notification.objects.get(recipient=other).read_at is None


def test_the_preferences_page_saves_each_kinds_choice(signed_in, person):
    response = signed_in.get(PREFERENCES)
    assert [row["kind"].code for row in response.context["rows"]][-2:] == ["test_answered", "test_other"]
    choices = {f"email-{row['kind'].code}": "immediate" for row in response.context["rows"]}
    choices.update({"email-test_answered": "digest", "email-test_other": "off"})
    response = signed_in.post(PREFERENCES, choices)
    assert response.status_code == 302
    assert dict(Preference.objects.filter(user=person).values_list("kind", "email"))["test_answered"] == "digest"
    assert Preference.objects.get(user=person, kind="test_other").email == EmailChoice.OFF


def test_a_bad_choice_is_refused_whole_and_named(signed_in, person):
    response = signed_in.post(PREFERENCES, {"email-test_answered": "digest", "email-test_other": "sometimes"})
    assert response.status_code == 400
    rows = {row["kind"].code: row for row in response.context["rows"]}
    assert rows["test_other"]["errors"] == ["Choose immediately, daily digest or off."]
    assert rows["test_answered"]["choice"] == "digest"  # what the person chose is kept
    assert not Preference.objects.exists()


def test_officials_are_offered_no_resident_kinds(client):
    official = official_of(factories.CommunityFactory())
    client.force_login(official)
    codes = [row["kind"].code for row in client.get(PREFERENCES).context["rows"]]
    assert "test_answered" not in codes


def test_unsubscribing_stops_only_that_kind(client, person):
    url = reverse("notifications:unsubscribe", args=[unsubscribe_token(person.pk, "test_answered")])
    page = client.get(url)
    assert page.status_code == 200 and not Preference.objects.exists()  # a link scanner's GET changes nothing
    response = client.post(url)
    assert response.status_code == 200 and "You will no longer receive e-mails about" in response.content.decode()
    send(person, key="a")
    send(person, key="b", kind="test_other")
    assert list(Delivery.objects.values_list("notification__kind", flat=True)) == ["test_other"]
    assert Notification.objects.filter(recipient=person).count() == 2  # still in the list


def test_the_unsubscribe_page_speaks_chinese(client, person):
    client.cookies["django_language"] = "zh-hans"
    url = reverse("notifications:unsubscribe", args=[unsubscribe_token(person.pk, "test_answered")])
    assert "停止接收这些邮件" in client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()


@pytest.mark.parametrize("token", ["forged", "eyJ1IjoxfQ:1abc:def"])
def test_a_forged_unsubscribe_link_is_refused(client, person, token):
    url = reverse("notifications:unsubscribe", args=[token])
    assert client.get(url).status_code == 400
    assert client.post(url).status_code == 400
    assert not Preference.objects.exists()


def test_switching_language_is_remembered_for_the_mail(signed_in, person):
    signed_in.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert UserLanguage.objects.get(user=person).language == "zh-hans"
    signed_in.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert UserLanguage.objects.get(user=person).language == "en"
    signed_in.post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert UserLanguage.objects.get(user=person).language == "en"


def test_a_visitor_switching_language_is_not_remembered(client):
    assert client.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 302
    assert not UserLanguage.objects.exists()


def test_the_mail_links_back_to_the_preferences_page(person):
    from notifications.services.delivery import deliveries_send_due

    send(person)
    deliveries_send_due()
    assert f"http://localhost:8000{PREFERENCES}" in mail.outbox[0].body

"""A crontab schedule said in words, in the reader's language: "every day at 03:00" rather than `0 3 * * *`."""

from cron_descriptor import (
    ExpressionDescriptor,
    FormatException,
    MissingFieldException,
    Options,
    WrongArgumentException,
)
from django.conf import settings
from django.utils.dates import WEEKDAYS
from django.utils.translation import get_language
from django.utils.translation import gettext as _

# cron_descriptor's own catalogues, by the platform's languages; its English is the fallback.
DESCRIPTOR_LOCALES = {"zh-hans": "zh_CN"}


def _single(value: str) -> int | None:
    return int(value) if value.isdigit() else None


def _descriptor_words(schedule) -> str:
    options = Options()
    options.locale_code = DESCRIPTOR_LOCALES.get(get_language() or "", "en_US")
    options.use_24hour_time_format = True
    expression = " ".join(
        [schedule.minute, schedule.hour, schedule.day_of_month, schedule.month_of_year, schedule.day_of_week]
    )
    try:
        return ExpressionDescriptor(expression, options).get_description()
    except (MissingFieldException, FormatException, WrongArgumentException):
        # A schedule the library cannot describe is still shown, as written.
        return expression


def crontab_in_words(schedule) -> str:
    """The schedules the platform installs (daily, weekly, monthly at a time) in its own words; any
    other pattern through cron_descriptor. The time zone is named only when it is not the platform's."""
    minute, hour = _single(schedule.minute), _single(schedule.hour)
    day, weekday = _single(schedule.day_of_month), _single(schedule.day_of_week)
    every_month = schedule.month_of_year == "*"
    words = None
    if minute is not None and hour is not None and every_month and minute < 60 and hour < 24:
        time = f"{hour:02d}:{minute:02d}"
        if schedule.day_of_month == "*" and schedule.day_of_week == "*":
            words = _("every day at %(time)s") % {"time": time}
        elif schedule.day_of_month == "*" and weekday is not None and weekday <= 7:
            # cron counts from Sunday (0 or 7), Django's WEEKDAYS from Monday (0).
            words = _("every %(weekday)s at %(time)s") % {"weekday": WEEKDAYS[(weekday - 1) % 7], "time": time}
        elif schedule.day_of_week == "*" and day is not None and 1 <= day <= 31:
            words = _("on day %(day)d of every month at %(time)s") % {"day": day, "time": time}
    if words is None:
        words = _descriptor_words(schedule)
    zone = str(schedule.timezone)
    return (
        words
        if zone == settings.TIME_ZONE
        else _("%(schedule)s (%(timezone)s time)")
        % {
            "schedule": words,
            "timezone": zone,
        }
    )

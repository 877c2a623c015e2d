"""One date and time format per language: Django's, with English made day-first and 24-hour (config/formats/en)."""

from datetime import datetime

import pytest
from django.utils import translation
from django.utils.formats import date_format

MOMENT = datetime(2026, 12, 15, 9, 30)


@pytest.mark.parametrize(
    ("language", "short", "long"),
    [
        ("en", "15 Dec 2026, 09:30", "15 December 2026, 09:30"),
        ("es", "15/12/2026 09:30", "15 de diciembre de 2026 a las 09:30"),
        ("ru", "15.12.2026 09:30", "15 декабря 2026 г. 9:30"),
        ("fr", "15/12/2026 09:30", "15 décembre 2026 09:30"),
    ],
)
def test_each_staff_language_reads_day_first_with_a_24_hour_clock(language, short, long):
    with translation.override(language):
        assert date_format(MOMENT, "SHORT_DATETIME_FORMAT") == short
        assert date_format(MOMENT, "DATETIME_FORMAT") == long


def test_english_dates_are_not_american():
    with translation.override("en"):
        assert date_format(MOMENT.date(), "SHORT_DATE_FORMAT") == "15 Dec 2026"
        assert date_format(MOMENT.date(), "DATE_FORMAT") == "15 December 2026"
        assert date_format(MOMENT, "TIME_FORMAT") == "09:30"
        assert date_format(MOMENT.date(), "YEAR_MONTH_FORMAT") == "December 2026"

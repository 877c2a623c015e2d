"""English dates and times for an international staff: day first with the month's name, and a 24-hour clock.

Django's own English formats are American ("12/07/2026 9:30 a.m."), which staff in Bangkok or Kuala Lumpur read as
12 July; Spanish, Russian and French already read day first with 24 hours. Only what differs from Django's ``en`` is
set here (settings.FORMAT_MODULE_PATH); input formats and the rest come from Django.
"""

DATE_FORMAT = "j F Y"  # 7 December 2026
TIME_FORMAT = "H:i"  # 09:30
DATETIME_FORMAT = "j F Y, H:i"  # 7 December 2026, 09:30
SHORT_DATE_FORMAT = "j M Y"  # 7 Dec 2026
SHORT_DATETIME_FORMAT = "j M Y, H:i"  # 7 Dec 2026, 09:30
MONTH_DAY_FORMAT = "j F"  # 7 December

"""The calendar: a month and a week of deadlines, hearings and tasks, and the person's private iCalendar feed.

Server-rendered and usable without JavaScript; the month's grid becomes a list of days on a phone (CSS only). Each page
costs a fixed number of queries whatever the number of items (``cases.deadlines.calendar.items``). The feed address is a
secret: only its SHA-256 is stored, so the full address is shown once, right after it is made, from the session.
"""

import re
from datetime import timedelta

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from cases.deadlines.calendar import dates as calendar_dates
from cases.deadlines.calendar import feed as calendar_feed
from cases.deadlines.calendar import items as calendar_items
from cases.deadlines.calendar.items import SHOW_CHOICES, SHOW_MINE
from paralegals.models import CalendarFeed

MONTH_PER_DAY = 4
WEEK_PER_DAY = 50
SESSION_FEED_KEY = "calendar_feed_key"
# secrets.token_urlsafe(32): 43 characters of the URL-safe base64 alphabet.
FEED_KEY = re.compile(r"[A-Za-z0-9_-]{43}")
FEED_TOUCH_EVERY = timedelta(minutes=1)


class CalendarForm(forms.Form):
    """The query string of both views; an unreadable month, week or day is a field error, and today is shown."""

    show = forms.ChoiceField(label=gettext_lazy("Show"), choices=SHOW_CHOICES, required=False)
    month = forms.CharField(required=False)
    week = forms.CharField(required=False)
    day = forms.CharField(required=False)

    def clean_show(self):
        return self.cleaned_data["show"] or SHOW_MINE

    def _parsed(self, name, parse, message):
        value = self.cleaned_data[name].strip()
        if not value:
            return None
        try:
            return parse(value)
        except ValueError:
            raise forms.ValidationError(message, code="invalid") from None

    def clean_month(self):
        return self._parsed("month", calendar_dates.parse_month, _("Give the month as YYYY-MM, e.g. 2026-12."))

    def clean_week(self):
        return self._parsed("week", calendar_dates.parse_week, _("Give the week as YYYY-Www, e.g. 2026-W50."))

    def clean_day(self):
        return self._parsed("day", calendar_dates.parse_day, _("Give the day as YYYY-MM-DD, e.g. 2026-12-15."))


class FeedRenewForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand that the old address stops working"),
        required=True,
        error_messages={"required": gettext_lazy("Tick the box to confirm: the old address stops working.")},
    )


def _read(request) -> tuple[CalendarForm, dict]:
    form = CalendarForm(request.GET)
    form.is_valid()
    values = {name: form.cleaned_data.get(name) for name in ("month", "week", "day")}
    values["show"] = form.cleaned_data.get("show") or SHOW_MINE
    return form, values


def _feed_context(request, *, renew_form=None) -> dict:
    feed = CalendarFeed.objects.filter(user=request.user).only("prefix", "created_at").first()
    fresh_key = request.session.pop(SESSION_FEED_KEY, None)
    feed_prefix = request.build_absolute_uri(reverse("calendar_feed", args=["KEY"])).removesuffix("KEY.ics")
    return {
        "feed": feed,
        "feed_url": (feed_prefix + f"{fresh_key}.ics") if fresh_key and feed else "",
        "feed_url_start": feed_prefix + (feed.prefix if feed else ""),
        "renew_form": renew_form or FeedRenewForm(),
    }


def _page_context(zone, show: str) -> dict:
    return {"zone": zone, "show": show, "show_choices": SHOW_CHOICES}


def _month(request, *, renew_form=None, status=200):
    form, values = _read(request)
    zone = calendar_items.person_zone(request.user)
    today = timezone.localdate(timezone=zone)
    first = values["month"] or today.replace(day=1)
    grid = calendar_dates.month_grid(first)
    queryset = calendar_items.calendar_queryset(request.user, values["show"])
    days = calendar_items.days_with_items(queryset, grid, zone, per_day=MONTH_PER_DAY)
    for day in days:
        day.in_range = day.date.month == first.month
    context = {
        **_page_context(zone, values["show"]),
        **_feed_context(request, renew_form=renew_form),
        "form": form,
        "first": first,
        "days": days,
        "weekdays": [day.date for day in days[:7]],
        "has_items": any(day.total for day in days if day.in_range),
        "previous": calendar_dates.month_key(calendar_dates.add_month(first, -1)),
        "next": calendar_dates.month_key(calendar_dates.add_month(first, 1)),
        "this_month": calendar_dates.month_key(today),
        "month": calendar_dates.month_key(first),
        "week_of_month": calendar_dates.week_key(today if today.replace(day=1) == first else first),
    }
    return render(request, "deadlines/calendar_month.html", context, status=400 if form.errors else status)


@login_required
@never_cache
def calendar_month(request):
    return _month(request)


@login_required
@never_cache
def calendar_week(request):
    form, values = _read(request)
    zone = calendar_items.person_zone(request.user)
    today = timezone.localdate(timezone=zone)
    span = calendar_dates.week_span(values["week"] or values["day"] or today)
    queryset = calendar_items.calendar_queryset(request.user, values["show"])
    days = calendar_items.days_with_items(queryset, span, zone, per_day=WEEK_PER_DAY)
    context = {
        **_page_context(zone, values["show"]),
        "form": form,
        "span": span,
        "days": days,
        "previous": calendar_dates.week_key(span.first - timedelta(days=7)),
        "next": calendar_dates.week_key(span.first + timedelta(days=7)),
        "this_week": calendar_dates.week_key(today),
        "week": calendar_dates.week_key(span.first),
        "month": calendar_dates.month_key(values["day"] or span.first),
    }
    return render(request, "deadlines/calendar_week.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def calendar_feed_renew(request):
    """Make the person's feed address, or renew it (the old one stops working at once) once they confirm."""
    has_feed = CalendarFeed.objects.filter(user=request.user).exists()
    if has_feed:
        form = FeedRenewForm(request.POST)
        if not form.is_valid():
            return _month(request, renew_form=form, status=400)
    _feed, key = CalendarFeed.renew(request.user)
    # Shown once, on the next page: the database keeps only the digest.
    request.session[SESSION_FEED_KEY] = key
    return redirect(reverse("calendar_month") + "#subscribe")


def _not_found() -> HttpResponse:
    # The same empty answer for a malformed, unknown or revoked key, and for a deactivated account.
    response = HttpResponse(b"", status=404, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def calendar_feed_ics(request, key: str):
    """The private feed: no sign-in, the secret address is the credential."""
    if not FEED_KEY.fullmatch(key):
        return _not_found()
    feed = CalendarFeed.for_key(key)
    if feed is None or not feed.user.is_active:
        return _not_found()
    now = timezone.now()
    # At most one write a minute however often a calendar app polls (one UPDATE, always issued).
    CalendarFeed.objects.filter(pk=feed.pk).exclude(last_used_at__gt=now - FEED_TOUCH_EVERY).update(last_used_at=now)
    calendar = calendar_feed.feed_calendar(
        feed.user, site_url=request.build_absolute_uri("/"), host=request.get_host().split(":")[0], now=now
    )
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="redress.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


urlpatterns = [
    path("calendar/", calendar_month, name="calendar_month"),
    path("calendar/week/", calendar_week, name="calendar_week"),
    path("calendar/feed/", calendar_feed_renew, name="calendar_feed_renew"),
    path("calendar/feed/<path:key>.ics", calendar_feed_ics, name="calendar_feed"),
]

"""Rate limits for the status check that cannot be raced, and that no stranger can turn against a worker.

Two budgets, neither of them shared by everyone (docs/security.md, "The status check's limits", has the arithmetic):

- **Per case reference** — the guessing bound. Every attempt is counted *before* the PIN is checked, with one atomic
  operation that returns the new count — Redis ``INCR`` when Redis is the cache, otherwise one SQL upsert
  (``INSERT … ON CONFLICT DO UPDATE … RETURNING``) on ``RateCounter``. Sixty attempts at once therefore get sixty
  different counts, and only the first ``limit`` pass; the next one locks the reference. A right PIN gives its own
  count back (``refund_reference``) and nothing more, so the owner's visits never refill a guesser's budget.
- **Per address** — wrong tries only. An address over its budget is *throttled*: its wrong tries are answered "too
  many tries" (429), but its attempts are still checked, so a worker behind the same carrier NAT as a guesser who
  types the right reference and PIN gets in. There is no site-wide counter: nothing anyone else sends can deny a
  right reference and PIN.

(Django's DatabaseCache is not used: its ``incr`` is a read then a write.)

The per-reference count uses the normalised reference whether or not a case has it, so an unknown reference locks
exactly like a real one and a lock says nothing about existence. Keys are keyed digests: no reference or address is
stored or logged in the clear. Any failure of the store raises ``LimiterUnavailable``; the page then answers 503
"try again later" — closed, never open.
"""

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.db.models import F
from django.utils import timezone

from cases.core.pins import PIN_LENGTH
from cases.portal.models import RateCounter


class LimiterUnavailable(Exception):
    """The counter store failed: refuse the attempt (fail closed)."""


def _fail_closed(function: Callable) -> Callable:
    @wraps(function)
    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except LimiterUnavailable:
            raise
        except Exception as exc:  # any store error at all: the door stays shut
            raise LimiterUnavailable(type(exc).__name__) from None

    return wrapper


def _key(kind: str, value: str) -> str:
    secret = hashlib.sha256(b"redress-portal-limiter:" + settings.SECRET_KEY.encode()).digest()
    digest = hmac.new(secret, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()[:40]
    return f"portal:{kind}:{digest}"


class DatabaseStore:
    """Counters in the ``RateCounter`` table; each bump is a single atomic statement (SQLite ≥ 3.35, PostgreSQL)."""

    def hit(self, key: str, window_seconds: int) -> int:
        now = timezone.now()
        adapt = connection.ops.adapt_datetimefield_value
        table = connection.ops.quote_name(RateCounter._meta.db_table)
        sql = (
            f"INSERT INTO {table} (key, count, window_ends_at) VALUES (%s, 1, %s) "  # noqa: S608 (table name only)
            f"ON CONFLICT (key) DO UPDATE SET "
            f"count = CASE WHEN {table}.window_ends_at <= %s THEN 1 ELSE {table}.count + 1 END, "
            f"window_ends_at = CASE WHEN {table}.window_ends_at <= %s THEN excluded.window_ends_at "
            f"ELSE {table}.window_ends_at END "
            f"RETURNING count"
        )
        ends = adapt(now + timedelta(seconds=window_seconds))
        with connection.cursor() as cursor:
            cursor.execute(sql, [key, ends, adapt(now), adapt(now)])
            return int(cursor.fetchone()[0])

    def refund(self, key: str) -> None:
        RateCounter.objects.filter(key=key, count__gt=0, window_ends_at__gt=timezone.now()).update(count=F("count") - 1)

    def lock(self, key: str, seconds: int) -> None:
        RateCounter.objects.update_or_create(
            key=key, defaults={"count": 1, "window_ends_at": timezone.now() + timedelta(seconds=seconds)}
        )

    def locked_until(self, key: str) -> datetime | None:
        return (
            RateCounter.objects.filter(key=key, window_ends_at__gt=timezone.now())
            .values_list("window_ends_at", flat=True)
            .first()
        )

    def clear(self, *keys: str) -> None:
        RateCounter.objects.filter(key__in=keys).delete()

    def purge(self) -> None:
        RateCounter.objects.filter(window_ends_at__lt=timezone.now() - timedelta(minutes=1)).delete()


class CacheStore:
    """Counters in Redis through Django's RedisCache: ``add`` starts a window, ``incr`` is Redis INCR (atomic)."""

    def hit(self, key: str, window_seconds: int) -> int:
        for _attempt in range(3):
            caches["default"].add(key, 0, timeout=window_seconds)
            try:
                return int(caches["default"].incr(key))
            except ValueError:  # the window expired between add and incr: start a new one
                continue
        raise LimiterUnavailable("counter kept expiring")

    def refund(self, key: str) -> None:
        try:
            if caches["default"].decr(key) < 0:  # the window ended in between: a new one starts from nothing
                caches["default"].delete(key)
        except ValueError:  # the window expired: nothing to give back
            pass

    def lock(self, key: str, seconds: int) -> None:
        until = timezone.now() + timedelta(seconds=seconds)
        caches["default"].set(key, until.timestamp(), timeout=seconds)

    def locked_until(self, key: str) -> datetime | None:
        value = caches["default"].get(key)
        if value is None:
            return None
        until = datetime.fromtimestamp(float(value), tz=UTC)
        return until if until > timezone.now() else None

    def clear(self, *keys: str) -> None:
        caches["default"].delete_many(list(keys))

    def purge(self) -> None:
        """Redis expires keys itself."""


def store() -> DatabaseStore | CacheStore:
    """Redis when it is the cache (REDIS_URL), else the database table."""
    return CacheStore() if isinstance(caches["default"], RedisCache) else DatabaseStore()


@dataclass(frozen=True)
class ReferenceVerdict:
    allowed: bool
    # True for exactly one attempt: the one that crossed the limit (the case page is told once).
    just_locked: bool = False


@_fail_closed
def address_failure(ip: str) -> bool:
    """Count one wrong try from ``ip``; True when the address is now over its budget (throttled for guesses)."""
    return store().hit(_key("ip", ip), settings.PORTAL_IP_WINDOW_SECONDS) > settings.PORTAL_IP_LIMIT


@_fail_closed
def allow_reference(reference: str) -> ReferenceVerdict:
    """Count one attempt on a normalised reference; refuse it while the reference is locked or over its limit."""
    counters = store()
    lock_key = _key("lock", reference)
    if counters.locked_until(lock_key) is not None:
        return ReferenceVerdict(allowed=False)
    count = counters.hit(_key("ref", reference), settings.PORTAL_REFERENCE_WINDOW_SECONDS)
    if count == 1:
        counters.purge()  # once per reference window: drop finished windows (database store)
    if count <= settings.PORTAL_REFERENCE_LIMIT:
        return ReferenceVerdict(allowed=True)
    counters.lock(lock_key, settings.PORTAL_LOCK_SECONDS)
    return ReferenceVerdict(allowed=False, just_locked=count == settings.PORTAL_REFERENCE_LIMIT + 1)


@_fail_closed
def reference_locked_until(reference: str) -> datetime | None:
    """When the lock on ``reference`` ends, or None when it is not locked (for the case page)."""
    return store().locked_until(_key("lock", reference))


@_fail_closed
def forget_reference(reference: str) -> None:
    """Unlock ``reference`` and reset its count (staff unlock; a successful lookup resets the count)."""
    store().clear(_key("lock", reference), _key("ref", reference))


@_fail_closed
def refund_reference(reference: str) -> None:
    """Give back the count of an attempt whose PIN was right: the owner's visits are not guesses.

    Only that one attempt: the wrong tries already made in the window stay counted, so however often the worker
    checks, no more than PORTAL_REFERENCE_LIMIT wrong PINs are ever checked per window.
    """
    store().refund(_key("ref", reference))


def yearly_guess_bound() -> float:
    """The most a guesser who knows a reference can hope for in a year: wrong PINs checked / possible PINs.

    At most PORTAL_REFERENCE_LIMIT attempts are checked per window (a window starts at the first attempt after the
    last one ended, so at most year / window + 1 of them fit in a year); a right PIN refunds only itself.
    """
    year = 365 * 24 * 60 * 60
    windows = year // settings.PORTAL_REFERENCE_WINDOW_SECONDS + 1
    return settings.PORTAL_REFERENCE_LIMIT * windows / 10**PIN_LENGTH


@_fail_closed
def allow_phone_request(case_id: int) -> bool:
    """At most PORTAL_PHONE_REQUEST_LIMIT "my phone changed" requests per case per day."""
    count = store().hit(_key("phone", str(case_id)), 24 * 60 * 60)
    return count <= settings.PORTAL_PHONE_REQUEST_LIMIT

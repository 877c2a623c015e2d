"""Test overrides: eager Celery, fast hashing. The database is whatever DATABASE_URL says."""

from .settings import *  # noqa: F403
from .settings import REDIS_URL

CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if not REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests stop the clock: two tests' refreshes may share a stamp, so cached figures could cross tests. The cache's own
# tests turn it on.
STATISTICS_CACHE_SECONDS = 0
# Tests travel in time (time_machine) hours past one sign-in; the idle-session tests set their own limit
# (tests/paralegals/test_idle_sessions.py). The absolute SESSION_COOKIE_AGE still applies.
SESSION_IDLE_MINUTES = 24 * 60

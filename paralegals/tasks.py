from celery import shared_task
from django.core.management import call_command


@shared_task(name="paralegals.tasks.clear_expired_sessions")
def clear_expired_sessions() -> None:
    """Delete expired login sessions (idempotent; beat runs it hourly)."""
    call_command("clearsessions")

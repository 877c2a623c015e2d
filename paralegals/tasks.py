from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.core.management import call_command
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


@shared_task(name="paralegals.tasks.clear_expired_sessions")
def clear_expired_sessions() -> None:
    """Delete expired login sessions (idempotent; beat runs it hourly)."""
    call_command("clearsessions")


SUBJECT_TEMPLATE = "registration/password_reset_subject.txt"
BODY_TEMPLATE = "registration/password_reset_email.txt"


def reset_email(user, language: str) -> tuple[str, str]:
    """The subject and body of the reset email for ``user``, in ``language``; the link holds a fresh token."""
    context = {
        "user": user,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "site_url": settings.SITE_URL,
        "timeout_minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
    }
    with translation.override(language):
        subject = " ".join(render_to_string(SUBJECT_TEMPLATE, context).split())
        body = render_to_string(BODY_TEMPLATE, context)
    return subject, body


@shared_task(name="paralegals.tasks.send_password_reset")
def send_password_reset(user_id: int, language: str) -> None:
    user = get_user_model()._default_manager.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email or not user.has_usable_password():
        return
    subject, body = reset_email(user, user.language or language)
    send_mail(subject, body, None, [user.email])

"""Issue an API token for a user and print its key once: ``manage.py create_api_token <username> <name>``."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from paralegals.models import ApiToken, User


class Command(BaseCommand):
    help = "Create an API token for a user and print its key (shown only this once; only its hash is stored)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("name", help="What will use the token, e.g. 'Partner intake form'.")
        parser.add_argument("--days", type=int, default=None, help="Expire the token after this many days.")

    def handle(self, *args, username, name, days, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user called {username!r}.")
        if days is not None and days <= 0:
            raise CommandError("--days must be a positive number.")
        expires_at = timezone.now() + timedelta(days=days) if days else None
        token, key = ApiToken.objects.issue(user=user, name=name, expires_at=expires_at)
        self.stderr.write(f"Token {token.prefix}… created for {user.username}. Its key (shown only now):")
        self.stdout.write(key)

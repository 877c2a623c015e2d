"""The staff side: organisations, their offices, and the people who work the cases."""

import hashlib
import secrets
import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


def validate_time_zone(value: str) -> None:
    """An IANA time zone name such as ``Asia/Bangkok``: deadlines are typed and shown in it."""
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("%(value)s is not a time zone name; use one like Asia/Bangkok or Europe/Madrid."), params={"value": value}
        )


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OfficeManager(models.Manager):
    def get_queryset(self):
        # __str__ names the organisation; offices are few, so always join it (no N+1 in lists and filters).
        return super().get_queryset().select_related("organisation")


class Office(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="offices", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=200)
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=120, blank=True)
    # Shown to workers on receipts and the status page: the office, never a person.
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    whatsapp = models.CharField(_("WhatsApp"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text=_("Where the office works, e.g. Asia/Bangkok: deadlines are typed and shown in this time zone."),
    )
    paralegals_may_take_cases = models.BooleanField(
        _("paralegals may take unassigned cases"),
        default=False,
        help_text=_("A paralegal of this office can assign an unassigned case of the office to themselves."),
    )
    two_factor_required = models.BooleanField(
        _("paralegals must use two-factor sign-in"),
        default=False,
        help_text=_(
            "Paralegals of this office sign in with a code from an authenticator app as well as their password. "
            "Coordinators and administrators always must."
        ),
    )
    # Where the law or the funder asks this office to keep closed cases longer (or shorter) than the site's
    # RETENTION_DAYS_AFTER_CLOSE (cases.retention). Empty: the site's setting.
    retention_days = models.PositiveIntegerField(
        _("keep closed cases (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Days after a case closes before the worker's personal data is removed. Empty: the site's setting."
        ),
    )

    objects = OfficeManager()

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="office_unique_name_per_organisation"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation.name} — {self.name}"


class Language(models.Model):
    """A language staff can speak; the code is a Django/BCP 47 language code."""

    code = models.CharField(_("code"), max_length=12, primary_key=True)
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    PARALEGAL = "paralegal", _("Paralegal")
    COORDINATOR = "coordinator", _("Coordinator")
    ADMIN = "admin", _("Administrator")


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PARALEGAL)
    office = models.ForeignKey(
        Office,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("office"),
        help_text=_("Paralegals and coordinators see the cases of their office."),
    )
    is_global_coordinator = models.BooleanField(
        _("global coordinator"),
        default=False,
        help_text=_("A coordinator who sees the cases of every office."),
    )
    languages = models.ManyToManyField(
        Language, blank=True, related_name="speakers", verbose_name=_("languages spoken")
    )
    # The language of the staff app and of the reminders this person receives (empty: the site's default).
    language = models.CharField(_("language of the app"), max_length=12, choices=settings.LANGUAGES, blank=True)

    objects = UserManager()

    class Meta(AbstractUser.Meta):
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_global_coordinator=False) | models.Q(role__in=["coordinator", "admin"]),
                name="user_global_only_for_coordinators",
            ),
        ]

    @property
    def is_coordinator(self) -> bool:
        return self.is_superuser or self.role in (Role.COORDINATOR, Role.ADMIN)

    @property
    def two_factor_required(self) -> bool:
        """Must sign in with a second factor: coordinators, administrators and superusers, and the paralegals of an
        office that requires it. The office comes with the user row (``OfficeModelBackend``): no query."""
        if self.is_superuser or self.role in (Role.COORDINATOR, Role.ADMIN):
            return True
        return self.office_id is not None and self.office.two_factor_required

    @property
    def sees_all_offices(self) -> bool:
        return (
            self.is_superuser
            or self.role == Role.ADMIN
            or (self.role == Role.COORDINATOR and self.is_global_coordinator)
        )


def _token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def issue(self, *, user: "User", name: str, expires_at=None) -> tuple["ApiToken", str]:
        """A new token for ``user``: the row, and the clear key — returned here once and never stored."""
        key = secrets.token_urlsafe(32)
        token = self.create(
            user=user,
            name=name,
            prefix=key[: ApiToken.PREFIX_LENGTH],
            key_digest=_token_digest(key),
            expires_at=expires_at,
        )
        return token, key

    def for_key(self, key: str) -> "ApiToken | None":
        """The token with this clear key (revoked or expired ones too: the caller decides), or None.

        Looked up by the key's SHA-256: the digest is the index, so no comparison of secrets happens in Python.
        """
        # The user's office too: its time zone is the request's (one query either way).
        return self.select_related("user__office").filter(key_digest=_token_digest(key)).first()


class ApiToken(models.Model):
    """A key an integration (a partner's intake form, an SMS gateway) uses for the API on behalf of one user.

    Only the SHA-256 of the key is stored; the first characters are kept in clear so staff can tell tokens apart.
    A token acts with its user's permissions, is revoked by setting ``revoked_at`` and may expire.
    """

    PREFIX_LENGTH = 8
    # last_used_at is written at most this often, so a busy integration does not write on every request.
    LAST_USED_RESOLUTION = timedelta(minutes=1)

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=100, help_text=_("What uses it, e.g. “Partner intake form”."))
    prefix = models.CharField(_("key starts with"), max_length=PREFIX_LENGTH, editable=False)
    key_digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])

    def touch(self, now=None) -> None:
        """Record use, at most once per ``LAST_USED_RESOLUTION`` (one UPDATE, no read-modify-write race)."""
        now = now or timezone.now()
        if self.last_used_at is None or now - self.last_used_at >= self.LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now


class CalendarFeed(models.Model):
    """A person's private iCalendar feed: a secret URL the person can renew, which revokes the old one.

    Only the SHA-256 of the secret is stored (like ``ApiToken``): the full URL is shown once, when it is made.
    """

    PREFIX_LENGTH = 6

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="calendar_feed", verbose_name=_("user"))
    prefix = models.CharField(_("address starts with"), max_length=PREFIX_LENGTH, editable=False)
    key_digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now=True)
    last_used_at = models.DateTimeField(_("last read"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.user} ({self.prefix}…)"

    @classmethod
    def renew(cls, user: User) -> tuple["CalendarFeed", str]:
        """A new secret for ``user``'s feed (the old address stops working at once): the row and the clear key."""
        key = secrets.token_urlsafe(32)
        feed, _created = cls.objects.update_or_create(
            user=user, defaults={"prefix": key[: cls.PREFIX_LENGTH], "key_digest": _token_digest(key)}
        )
        return feed, key

    @classmethod
    def for_key(cls, key: str) -> "CalendarFeed | None":
        return cls.objects.select_related("user").filter(key_digest=_token_digest(key)).first()

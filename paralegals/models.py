"""The staff side: organisations, their offices, and the people who work the cases."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


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
    timezone = models.CharField(_("time zone"), max_length=64, default="UTC")

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
    def sees_all_offices(self) -> bool:
        return (
            self.is_superuser
            or self.role == Role.ADMIN
            or (self.role == Role.COORDINATOR and self.is_global_coordinator)
        )

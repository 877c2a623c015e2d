"""The worker: who they are, how (and whether) they may be contacted, what they consented to.

Collect only what the claim needs. There is no immigration-status field and there
must never be one: a record of it could be used against the worker.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_countries.fields import CountryField

from .fields import EncryptedTextField, blind_index, keyed_digest


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    OTHER = "other", _("Another gender")
    UNDISCLOSED = "undisclosed", _("Prefers not to say")


class IdDocumentType(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    NATIONAL_ID = "national_id", _("National identity card")
    OTHER = "other", _("Other identity document")


# What an anonymised worker's name becomes (cases.retention): stored in English, shown translated (``__str__``).
ANONYMISED_NAME = gettext_noop("Anonymised worker")


class Claimant(models.Model):
    full_name = models.CharField(_("full name"), max_length=200)
    preferred_language = models.CharField(
        _("preferred language"), max_length=12, choices=settings.CLAIMANT_LANGUAGES, default="en"
    )
    gender = models.CharField(_("gender"), max_length=20, choices=Gender.choices, blank=True)
    nationality = CountryField(_("nationality"), blank=True)
    # Where and through whom the worker can be found: encrypted at rest, like the identity document number.
    home_country_address = EncryptedTextField(
        _("home-country address"), blank=True, help_text=_("Where the worker can be reached after going home.")
    )
    alternate_contact_name = EncryptedTextField(_("alternate contact"), max_length=200, blank=True)
    alternate_contact_relationship = EncryptedTextField(_("relationship"), max_length=100, blank=True)
    alternate_contact_phone = EncryptedTextField(_("alternate contact phone"), max_length=40, blank=True)
    id_document_type = models.CharField(
        _("identity document type"), max_length=20, choices=IdDocumentType.choices, blank=True
    )
    id_document_number = EncryptedTextField(_("identity document number"), blank=True)
    # Keyed digest of the number, so a returning worker can be found without decrypting every row.
    id_document_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # When the worker's personal data was removed (retention or an erasure request); only statistics' fields remain.
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("claimant")
        verbose_name_plural = _("claimants")
        indexes = [models.Index(fields=["full_name"], name="claimant_full_name")]

    def __str__(self) -> str:
        return str(_(ANONYMISED_NAME)) if self.anonymised_at else self.full_name

    def save(self, *args, **kwargs):
        self.id_document_digest = blind_index(self.id_document_number) if self.id_document_number else ""
        if kwargs.get("update_fields") is not None and "id_document_number" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "id_document_digest"}
        super().save(*args, **kwargs)

    def has_consent(self, purpose: str) -> bool:
        """True when the latest consent record for ``purpose`` grants it (a later withdrawal wins)."""
        latest = self.consents.filter(purpose=purpose).order_by("-recorded_at", "-pk").first()
        return bool(latest and latest.given)


class ChannelKind(models.TextChoices):
    PHONE = "phone", _("Phone / SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    EMAIL = "email", _("Email")


class ContactChannel(models.Model):
    """One way to reach the worker. Nothing is sent unless it has consent *and* is safe."""

    claimant = models.ForeignKey(Claimant, on_delete=models.CASCADE, related_name="channels")
    kind = models.CharField(_("channel"), max_length=20, choices=ChannelKind.choices)
    value = EncryptedTextField(_("number or address"), max_length=200)
    # Blind index of the value (keyed digest of a phone number's digits / the lower-cased email), for finding a
    # returning worker and refusing a duplicate channel without decrypting.
    lookup_value = models.CharField(max_length=200, db_index=True, editable=False)
    consent = models.BooleanField(_("consents to contact"), default=False)
    safe_to_contact = models.BooleanField(
        _("safe to contact"),
        default=False,
        help_text=_("Confirmed not held or read by the employer or anyone who could retaliate."),
    )
    in_home_country = models.BooleanField(_("home-country contact"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contact channel")
        verbose_name_plural = _("contact channels")
        constraints = [
            models.UniqueConstraint(fields=["claimant", "kind", "lookup_value"], name="channel_unique_per_claimant"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}"

    def save(self, *args, **kwargs):
        self.lookup_value = self.lookup_for(self.kind, self.value)
        if kwargs.get("update_fields") is not None and {"kind", "value"} & set(kwargs["update_fields"]):
            kwargs["update_fields"] = {*kwargs["update_fields"], "lookup_value"}
        super().save(*args, **kwargs)

    @staticmethod
    def normalise(kind: str, value: str) -> str:
        if kind == ChannelKind.EMAIL:
            return value.strip().lower()
        return "".join(ch for ch in value if ch.isdigit())

    @classmethod
    def lookup_for(cls, kind: str, value: str) -> str:
        """The blind index stored in ``lookup_value``: phone and WhatsApp numbers with the same digits agree."""
        normalised = cls.normalise(kind, value)
        return keyed_digest("contact:" + normalised) if normalised else ""

    @property
    def may_send(self) -> bool:
        return self.consent and self.safe_to_contact


class ConsentPurpose(models.TextChoices):
    DATA_PROCESSING = "data_processing", _("Keep and use my information to pursue my claim")
    CONTACT = "contact", _("Contact me on the channels I chose")
    SHARE_WITH_AUTHORITIES = (
        "share_authorities",
        _("Share my information with the authority or court handling my claim"),
    )
    SHARE_WITH_PARTNERS = "share_partners", _("Share my information with a partner organisation in my home country")


class ConsentMethod(models.TextChoices):
    VERBAL = "verbal", _("Verbal, recorded by staff")
    WRITTEN = "written", _("Signed form")
    ELECTRONIC = "electronic", _("Electronic")


class ConsentRecord(models.Model):
    """Append-only: a withdrawal is a new record with ``given=False``."""

    claimant = models.ForeignKey(Claimant, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=30, choices=ConsentPurpose.choices)
    given = models.BooleanField(_("given"), default=True)
    method = models.CharField(_("how"), max_length=20, choices=ConsentMethod.choices)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}: {'yes' if self.given else 'withdrawn'}"

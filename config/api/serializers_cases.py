"""Shapes of cases in and out of the API. They only shape: every rule is in the services the views call.

Lists never carry the worker's identity document number or contact details; a case carries the worker's name and
language only (the claimant endpoint has the rest, for those who need it).
"""

from django.conf import settings
from django.utils.translation import gettext as _
from django_countries import countries
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.core.services.cases import NOTE_MAX_LENGTH
from cases.core.stages import Outcome, Stage, available_moves
from cases.models import Case, RespondentKind, Sector
from claimants.models import ChannelKind, ConsentMethod, ConsentPurpose, Gender, IdDocumentType

from .fields import ZonedDateTimeField, model_label

COUNTRIES = list(countries)
CLAIMANT_LANGUAGES = list(settings.CLAIMANT_LANGUAGES)
OPEN_STAGES = [(stage, label) for stage, label in Stage.choices if stage != Stage.CLOSED]
REASON_MAX_LENGTH = 2000


def case_zone(case) -> str:
    """The case's office zone: a case's times are written with its office's offset, whoever asks."""
    return case.office.timezone


def _label(name: str):
    return model_label(Case, name)


class PersonSerializer(serializers.Serializer):
    """A member of staff as other staff see them: no email, no role details."""

    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        return user.get_full_name() or user.username


class OfficeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    organisation = serializers.CharField(source="organisation.name")


class CaseRespondentSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="respondent_id")
    name = serializers.CharField(source="respondent.name")
    kind = serializers.ChoiceField(source="respondent.kind", choices=RespondentKind.choices)
    role = serializers.ChoiceField(choices=RespondentKind.choices)


class CaseClaimantSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    preferred_language = serializers.CharField()


class MoveSerializer(serializers.Serializer):
    to_stage = serializers.ChoiceField(choices=Stage.choices)
    back = serializers.BooleanField()
    blocked_by = serializers.CharField(allow_null=True)


class CaseListSerializer(serializers.ModelSerializer):
    claimant = CaseClaimantSerializer()
    office = OfficeSerializer()
    assigned_to = PersonSerializer(allow_null=True)
    respondents = CaseRespondentSerializer(source="case_respondents", many=True)
    country_of_work = serializers.ChoiceField(choices=COUNTRIES)
    outcome = serializers.ChoiceField(choices=Outcome.choices, allow_blank=True, help_text="Empty while open.")
    opened_at = ZonedDateTimeField(
        zone_of=case_zone, label=_label("opened_at"), help_text="With the case office's UTC offset."
    )
    stage_changed_at = ZonedDateTimeField(zone_of=case_zone, label=_label("stage_changed_at"))
    closed_at = ZonedDateTimeField(zone_of=case_zone, label=_label("closed_at"), allow_null=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "reference",
            "stage",
            "outcome",
            "version",
            "claimant",
            "office",
            "assigned_to",
            "respondents",
            "country_of_work",
            "sector",
            "opened_at",
            "stage_changed_at",
            "closed_at",
        ]


class CaseDetailSerializer(CaseListSerializer):
    moves = serializers.SerializerMethodField(help_text="The moves from the current stage, each with what blocks it.")
    estimated_amount = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    updated_at = ZonedDateTimeField(zone_of=case_zone, label=_label("updated_at"))

    class Meta(CaseListSerializer.Meta):
        fields = [
            *CaseListSerializer.Meta.fields,
            "outcome_reason",
            "job_title",
            "work_started_on",
            "work_ended_on",
            "departure_date",
            "summary",
            "estimated_amount",
            "estimated_currency",
            "flag_unsafe_contact",
            "flag_do_not_contact_employer",
            "flag_waiver_under_pressure",
            "updated_at",
            "moves",
        ]

    @extend_schema_field(MoveSerializer(many=True))
    def get_moves(self, case) -> list[dict]:
        return [
            {"to_stage": move.to_stage, "back": move.back, "blocked_by": move.blocked_by}
            for move in available_moves(case)
        ]


class CaseOpenedSerializer(CaseDetailSerializer):
    pin = serializers.CharField(
        allow_null=True,
        help_text="The worker's status-check PIN, in this response only (never stored in clear, never shown again). "
        "Null when the same intake_token was sent before.",
    )

    class Meta(CaseDetailSerializer.Meta):
        fields = [*CaseDetailSerializer.Meta.fields, "pin"]


# --- actions -----------------------------------------------------------------------------------------------------


class AdvanceSerializer(serializers.Serializer):
    to_stage = serializers.ChoiceField(choices=OPEN_STAGES)
    expected_version = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=REASON_MAX_LENGTH, default="")


class CloseSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    # Required by the service (its message, its order of checks); the shape only limits the length.
    reason = serializers.CharField(max_length=REASON_MAX_LENGTH, required=False, allow_blank=True, default="")
    expected_version = serializers.IntegerField(min_value=1, max_value=2**31 - 1)


class ReopenSerializer(serializers.Serializer):
    # Required by the service (its message, its order of checks); the shape only limits the length.
    reason = serializers.CharField(max_length=REASON_MAX_LENGTH, required=False, allow_blank=True, default="")
    to_stage = serializers.ChoiceField(
        choices=OPEN_STAGES,
        required=False,
        allow_null=True,
        default=None,
        help_text="Default: the stage the case was closed from.",
    )


class AssignSerializer(serializers.Serializer):
    assignee = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text="The id of a paralegal.")
    expected_version = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class TakeSerializer(serializers.Serializer):
    expected_version = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        required=False,
        allow_null=True,
        default=None,
        help_text="The version the caller saw; optional (a case someone else took first is a 409 either way).",
    )


class NoteSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=NOTE_MAX_LENGTH)


# --- opening a case (intake) ---------------------------------------------------------------------------------------


class ClaimantInputSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=200)
    preferred_language = serializers.ChoiceField(choices=CLAIMANT_LANGUAGES, default="en")
    gender = serializers.ChoiceField(choices=Gender.choices, required=False, allow_blank=True)
    nationality = serializers.ChoiceField(choices=COUNTRIES, required=False, allow_blank=True)
    home_country_address = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    alternate_contact_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    alternate_contact_relationship = serializers.CharField(required=False, allow_blank=True, max_length=100)
    alternate_contact_phone = serializers.CharField(required=False, allow_blank=True, max_length=40)
    id_document_type = serializers.ChoiceField(choices=IdDocumentType.choices, required=False, allow_blank=True)
    id_document_number = serializers.CharField(required=False, allow_blank=True, max_length=100)


class ChannelInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ChannelKind.choices)
    value = serializers.CharField(max_length=200)
    consent = serializers.BooleanField(default=False)
    safe_to_contact = serializers.BooleanField(default=False)
    in_home_country = serializers.BooleanField(default=False)


class RespondentInputSerializer(serializers.Serializer):
    """An existing respondent by ``id``, or a new one by ``name``, ``kind`` and ``country``."""

    id = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    name = serializers.CharField(required=False, max_length=255)
    kind = serializers.ChoiceField(choices=RespondentKind.choices, required=False)
    country = serializers.ChoiceField(choices=COUNTRIES, required=False)
    aliases = serializers.ListField(child=serializers.CharField(max_length=255), required=False, max_length=20)
    role = serializers.ChoiceField(choices=RespondentKind.choices, required=False, help_text="Default: its kind.")


class CaseOpenSerializer(serializers.Serializer):
    intake_token = serializers.UUIDField(
        required=False, help_text="Idempotency key: sending the same one again returns the case it opened (no PIN)."
    )
    office = serializers.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1, help_text="Default: your own office."
    )
    existing_claimant = serializers.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1, help_text="A worker already on record (one of your cases)."
    )
    claimant = ClaimantInputSerializer(required=False)
    channels = ChannelInputSerializer(many=True, required=False, max_length=10)
    consents = serializers.ListField(
        child=serializers.ChoiceField(choices=ConsentPurpose.choices), required=False, max_length=10
    )
    consent_method = serializers.ChoiceField(choices=ConsentMethod.choices, required=False)
    respondents = RespondentInputSerializer(many=True, max_length=20)
    country_of_work = serializers.ChoiceField(choices=COUNTRIES)
    sector = serializers.ChoiceField(choices=Sector.choices)
    job_title = serializers.CharField(required=False, allow_blank=True, max_length=200)
    work_started_on = serializers.DateField(required=False, allow_null=True)
    work_ended_on = serializers.DateField(required=False, allow_null=True)
    departure_date = serializers.DateField(required=False, allow_null=True)
    summary = serializers.CharField(required=False, allow_blank=True, max_length=20_000)
    estimated_amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, min_value=0
    )
    estimated_currency = serializers.CharField(required=False, allow_blank=True, max_length=3)
    flag_unsafe_contact = serializers.BooleanField(required=False)
    flag_do_not_contact_employer = serializers.BooleanField(required=False)
    flag_waiver_under_pressure = serializers.BooleanField(required=False)

    def validate(self, data):
        if ("claimant" in data) == ("existing_claimant" in data):
            raise serializers.ValidationError({"claimant": [_("Give either claimant or existing_claimant.")]})
        for index, row in enumerate(data["respondents"]):
            if "id" not in row and not {"name", "kind", "country"} <= set(row):
                raise serializers.ValidationError(
                    {"respondents": {index: [_("Give an existing respondent's id, or its name, kind and country.")]}}
                )
        return data

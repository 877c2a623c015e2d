"""Workers (claimants) of the cases a user may see, and the shared register of respondents.

Field exposure: a worker's identity document number and contact details are never in a list. One worker's detail
shows them only to the people who work their case — a paralegal or coordinator of an office that has one of the
worker's cases, or the person it is assigned to. Administrators and global coordinators oversee cases without
needing to reach the worker, so they get the same fields as the list. There is no immigration status to show.
"""

from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response

from cases.audit.services import AccessKind, Via, record_accesses, record_worker_access, request_address
from cases.models import Case, Respondent, RespondentAlias, RespondentKind
from claimants.models import ChannelKind, Claimant, ContactChannel
from paralegals.models import Role

from .fields import ID_IN_PATH
from .schema import errors
from .serializers_cases import COUNTRIES


def works_with_claimant(user, claimant: Claimant) -> bool:
    """Whether ``user`` needs the worker's identity document and contacts: staff of one of their cases' offices."""
    if user.role not in (Role.PARALEGAL, Role.COORDINATOR) or user.is_superuser:
        return False
    mine = Q(assigned_to=user) | (Q(office_id=user.office_id) if user.office_id else Q(pk__in=[]))
    return Case.objects.visible_to(user).filter(mine, claimant=claimant).exists()


class ClaimantCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    stage = serializers.CharField()


class ClaimantListSerializer(serializers.ModelSerializer):
    nationality = serializers.ChoiceField(choices=COUNTRIES, allow_blank=True)

    class Meta:
        model = Claimant
        fields = ["id", "full_name", "preferred_language", "gender", "nationality", "created_at"]


class ChannelSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=ChannelKind.choices)

    class Meta:
        model = ContactChannel
        fields = ["kind", "value", "consent", "safe_to_contact", "in_home_country"]


class ClaimantContactSerializer(serializers.ModelSerializer):
    channels = ChannelSerializer(many=True)

    class Meta:
        model = Claimant
        fields = [
            "id_document_type",
            "id_document_number",
            "home_country_address",
            "alternate_contact_name",
            "alternate_contact_relationship",
            "alternate_contact_phone",
            "channels",
        ]


class ClaimantDetailSerializer(ClaimantListSerializer):
    cases = serializers.SerializerMethodField()
    contact = serializers.SerializerMethodField(
        help_text="Identity document and contact details: only for staff of the worker's case (else null)."
    )

    class Meta(ClaimantListSerializer.Meta):
        fields = [*ClaimantListSerializer.Meta.fields, "cases", "contact"]

    @extend_schema_field(ClaimantCaseSerializer(many=True))
    def get_cases(self, claimant) -> list[dict]:
        return ClaimantCaseSerializer(claimant.visible_cases, many=True).data

    @extend_schema_field(ClaimantContactSerializer(allow_null=True))
    def get_contact(self, claimant) -> dict | None:
        if not self.context.get("show_contact"):
            return None
        return ClaimantContactSerializer(claimant).data


@extend_schema_view(
    list=extend_schema(
        summary="Workers of the cases you may see", responses={200: ClaimantListSerializer(many=True), **errors(400)}
    ),
    retrieve=extend_schema(summary="One worker", responses={200: ClaimantDetailSerializer, **errors(404)}),
)
class ClaimantViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    lookup_value_regex = ID_IN_PATH

    def get_queryset(self):
        visible = Case.objects.visible_to(self.request.user)
        claimants = Claimant.objects.filter(Exists(visible.filter(claimant=OuterRef("pk"))))
        if self.action == "retrieve":
            claimants = claimants.prefetch_related(
                Prefetch("cases", queryset=visible.order_by("-opened_at", "-id"), to_attr="visible_cases"),
                "channels",
            )
        return claimants

    def get_serializer_class(self):
        return ClaimantDetailSerializer if self.action == "retrieve" else ClaimantListSerializer

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        # The read audit: one row per worker on the page (names only: no case named), one INSERT.
        record_accesses(
            user=request.user,
            address=request_address(request),
            what=AccessKind.WORKER_LIST_API,
            via=Via.API,
            claimant_ids=[claimant.pk for claimant in page],
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        claimant = self.get_object()
        context = {**self.get_serializer_context(), "show_contact": works_with_claimant(request.user, claimant)}
        data = ClaimantDetailSerializer(claimant, context=context).data
        # The read audit, against each of the worker's cases the reader may see (one INSERT): the stronger kind
        # when the answer carries the identity document number.
        revealed = bool(data["contact"] and data["contact"]["id_document_number"])
        record_worker_access(
            user=request.user,
            address=request_address(request),
            what=AccessKind.ID_DOCUMENT_REVEALED if revealed else AccessKind.WORKER_API,
            via=Via.API,
            claimant_id=claimant.pk,
            case_ids=[case.pk for case in claimant.visible_cases],
        )
        return Response(data)


class AliasSerializer(serializers.ModelSerializer):
    class Meta:
        model = RespondentAlias
        fields = ["name"]


class RespondentSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=RespondentKind.choices)
    country = serializers.ChoiceField(choices=COUNTRIES)
    aliases = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")

    class Meta:
        model = Respondent
        fields = ["id", "kind", "name", "country", "registration_number", "successor_of", "aliases", "created_at"]


class RespondentDetailSerializer(RespondentSerializer):
    address = serializers.CharField()
    visible_cases = serializers.IntegerField(help_text="How many of the cases you may see name this respondent.")

    class Meta(RespondentSerializer.Meta):
        fields = [*RespondentSerializer.Meta.fields, "address", "preferred_language", "visible_cases"]


@extend_schema_view(
    list=extend_schema(
        summary="The register of respondents",
        parameters=[OpenApiParameter("name", str, description="The start of a name or alias (case-insensitive).")],
        responses={200: RespondentSerializer(many=True), **errors(400)},
    ),
    retrieve=extend_schema(summary="One respondent", responses={200: RespondentDetailSerializer, **errors(404)}),
)
class RespondentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Respondents are a shared register, not personal data: every staff member may read them, as on the web page
    (intake offers existing ones to avoid duplicates). Counts of cases include only cases the user may see."""

    lookup_value_regex = ID_IN_PATH

    def get_queryset(self):
        respondents = Respondent.objects.prefetch_related("aliases")
        if self.action == "retrieve":
            visible = Case.objects.visible_to(self.request.user).values("pk")
            respondents = respondents.annotate(
                visible_cases=Count("case_roles__case", filter=Q(case_roles__case__in=visible), distinct=True)
            )
        name = " ".join(self.request.query_params.get("name", "").split())
        if "\x00" in name:  # PostgreSQL refuses NUL in text: bad input, as a form's CharField says
            raise serializers.ValidationError({"name": [ProhibitNullCharactersValidator.message]})
        if self.action == "list" and name:
            aliases = RespondentAlias.objects.filter(name__istartswith=name).values("respondent_id")
            respondents = respondents.filter(Q(name__istartswith=name) | Q(pk__in=aliases))
        return respondents

    def get_serializer_class(self):
        return RespondentDetailSerializer if self.action == "retrieve" else RespondentSerializer

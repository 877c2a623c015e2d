"""Cases: the filtered list, one case, opening a case, and the moves a case makes — each move one service call.

Reads start from ``Case.objects.visible_to(user)``; a case outside it is a 404 before any service runs, so the
answer for someone else's case never depends on what they asked to do with it. Moves take ``expected_version``
like the web forms: a move made on an older version of the case is a 409 with the current stage and version.
"""

import uuid

from django.db.models import Prefetch
from django.http import QueryDict
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cases.audit.services import AccessKind, Via, record_access, record_accesses, request_address
from cases.core.filters import OPEN_STAGES, CaseFilterForm
from cases.core.references import normalise_reference
from cases.core.services import cases as services
from cases.core.services.intake import intake_submit
from cases.core.stages import Stage
from cases.models import Case, CaseRespondent, Respondent, Sector
from claimants.models import Claimant
from paralegals.models import Office, User

from . import serializers_cases as shapes
from .fields import ID_IN_PATH
from .pagination import CasesNewestFirst
from .schema import errors

# The web list's filters, by the same names; the form validates them (a bad value is a 400 naming the field).
FILTERS = ("q", "stage", "office", "assigned", "country", "sector", "language", "opened_from", "opened_to", "flags")
FILTER_PARAMETERS = [
    OpenApiParameter(
        "q",
        str,
        description="A case reference (XXXX-XXXX-C). Names are not searched here: they would travel in URLs.",
    ),
    OpenApiParameter(
        "stage", str, enum=[OPEN_STAGES, *Stage.values], description="A stage, or `open` for any open one."
    ),
    OpenApiParameter("office", int, description="An office id."),
    OpenApiParameter("assigned", str, description="A staff id, or `none` for unassigned cases."),
    OpenApiParameter("country", str, description="Country of work (ISO 3166 alpha-2)."),
    OpenApiParameter("sector", str, enum=Sector.values),
    OpenApiParameter("language", str, description="The worker's language code."),
    OpenApiParameter("respondent", int, description="A respondent id."),
    OpenApiParameter("opened_from", OpenApiTypes.DATE),
    OpenApiParameter("opened_to", OpenApiTypes.DATE),
    OpenApiParameter(
        "flags",
        str,
        many=True,
        enum=["unsafe_contact", "do_not_contact_employer", "waiver_under_pressure"],
        explode=True,
    ),
]


def visible_cases(user):
    """The cases ``user`` may see, with what a case's JSON shows (a fixed number of queries per page)."""
    return (
        Case.objects.visible_to(user)
        .select_related("claimant", "office__organisation", "assigned_to")
        .prefetch_related(
            Prefetch(
                "case_respondents",
                queryset=CaseRespondent.objects.select_related("respondent").order_by("respondent__name", "pk"),
            )
        )
    )


@extend_schema_view(
    list=extend_schema(
        summary="List cases",
        parameters=[*FILTER_PARAMETERS],
        responses={200: shapes.CaseListSerializer(many=True), **errors(400)},
    ),
    retrieve=extend_schema(summary="One case", responses={200: shapes.CaseDetailSerializer, **errors(404)}),
)
class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    lookup_value_regex = ID_IN_PATH
    serializer_class = shapes.CaseDetailSerializer
    pagination_class = CasesNewestFirst

    def get_queryset(self):
        return visible_cases(self.request.user)

    def get_serializer_class(self):
        return shapes.CaseListSerializer if self.action == "list" else shapes.CaseDetailSerializer

    def error_case_id(self) -> int | None:
        return self.kwargs.get("pk")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        # The read audit: one row per case on the page, one INSERT whatever the page size.
        record_accesses(
            user=request.user, address=request_address(request), what=AccessKind.CASE_LIST_API, via=Via.API, cases=page
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        case = self.get_object()
        record_access(
            user=request.user, address=request_address(request), what=AccessKind.CASE_API, via=Via.API, case=case
        )
        return Response(self.get_serializer(case).data)

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        params = QueryDict(mutable=True)
        for name in (*FILTERS, "respondent"):
            if name in self.request.query_params:
                params.setlist(name, self.request.query_params.getlist(name))
        query = params.get("q", "").strip()
        if query and normalise_reference(query) is None:
            raise serializers.ValidationError({"q": [_("Give a case reference (names are not searched here).")]})
        form = CaseFilterForm(params, user=self.request.user, shown=False)
        if not form.is_valid():
            raise serializers.ValidationError({name: list(messages) for name, messages in form.errors.items()})
        return form.filter(queryset)

    def _case(self) -> Case:
        """The case of the URL, if the user may see it (404 otherwise) — checked before any service runs."""
        return get_object_or_404(Case.objects.visible_to(self.request.user).only("pk"), pk=self.kwargs["pk"])

    def _fresh(self, case_id: int, *, status_code: int = status.HTTP_200_OK) -> Response:
        case = get_object_or_404(self.get_queryset(), pk=case_id)
        return Response(shapes.CaseDetailSerializer(case).data, status=status_code)

    def _input(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(
        summary="Open a case (intake)",
        request=shapes.CaseOpenSerializer,
        responses={
            201: shapes.CaseOpenedSerializer,
            200: shapes.CaseOpenedSerializer,
            **errors(400, 403),
        },
        description="Creates the worker (or uses one already on record), their contact channels and consent, the "
        "respondents and the case in one transaction. The response carries the worker's status-check PIN, once. "
        "Sending the same intake_token again returns that case with status 200 and no PIN.",
    )
    def create(self, request):
        data = self._input(shapes.CaseOpenSerializer)
        claimant = None
        if "existing_claimant" in data:
            claimant = Claimant.objects.filter(pk=data["existing_claimant"]).first()
            if claimant is None:
                raise serializers.ValidationError({"existing_claimant": [_("No such worker.")]})
        office_id = data.get("office") or request.user.office_id
        office = Office.objects.filter(pk=office_id).first() if office_id else None
        if office is None:
            raise serializers.ValidationError({"office": [_("Choose the office that opens the case.")]})
        respondents = []
        for index, row in enumerate(data["respondents"]):
            row = dict(row)
            if "id" in row:
                row["respondent"] = Respondent.objects.filter(pk=row.pop("id")).first()
                if row["respondent"] is None:
                    raise serializers.ValidationError({"respondents": {index: [_("No such respondent.")]}})
            respondents.append(row)
        case_data = {name: data[name] for name in services.CASE_DETAIL_FIELDS if name in data}
        result = intake_submit(
            actor=request.user,
            token=data.get("intake_token") or uuid.uuid4(),
            office=office,
            claimant=claimant,
            claimant_data=dict(data.get("claimant") or {}),
            channels=[dict(channel) for channel in data.get("channels") or []],
            consents=list(data.get("consents") or []),
            consent_method=data.get("consent_method", ""),
            respondents=respondents,
            case_data=case_data,
        )
        case = get_object_or_404(self.get_queryset(), pk=result.case.pk)
        body = {**shapes.CaseDetailSerializer(case).data, "pin": result.pin}
        response = Response(body, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)
        response["Cache-Control"] = "no-store"  # the PIN must not sit in any cache
        return response

    @extend_schema(
        summary="Move the case to another open stage",
        request=shapes.AdvanceSerializer,
        responses={200: shapes.CaseDetailSerializer, **errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def advance(self, request, pk=None):
        case, data = self._case(), self._input(shapes.AdvanceSerializer)
        services.case_advance(
            actor=request.user,
            case_id=case.pk,
            to_stage=data["to_stage"],
            expected_version=data["expected_version"],
            reason=data["reason"],
        )
        return self._fresh(case.pk)

    @extend_schema(
        summary="Close the case with an outcome",
        request=shapes.CloseSerializer,
        responses={200: shapes.CaseDetailSerializer, **errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        case, data = self._case(), self._input(shapes.CloseSerializer)
        services.case_close(
            actor=request.user,
            case_id=case.pk,
            outcome=data["outcome"],
            reason=data["reason"],
            expected_version=data["expected_version"],
        )
        return self._fresh(case.pk)

    @extend_schema(
        summary="Reopen a closed case (coordinators)",
        request=shapes.ReopenSerializer,
        responses={200: shapes.CaseDetailSerializer, **errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        case, data = self._case(), self._input(shapes.ReopenSerializer)
        services.case_reopen(actor=request.user, case_id=case.pk, reason=data["reason"], to_stage=data["to_stage"])
        return self._fresh(case.pk)

    @extend_schema(
        summary="Assign the case to a paralegal (coordinators)",
        request=shapes.AssignSerializer,
        responses={200: shapes.CaseDetailSerializer, **errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        case, data = self._case(), self._input(shapes.AssignSerializer)
        assignee = User.objects.filter(pk=data["assignee"]).first()
        if assignee is None:
            raise serializers.ValidationError({"assignee": [_("No such paralegal.")]})
        services.case_assign(
            actor=request.user,
            case_id=case.pk,
            assignee=assignee,
            reason=data["reason"],
            expected_version=data["expected_version"],
        )
        return self._fresh(case.pk)

    @extend_schema(
        summary="Take an unassigned case of your office (paralegals, where the office allows it)",
        request=shapes.TakeSerializer,
        responses={200: shapes.CaseDetailSerializer, **errors(400, 403, 404, 409)},
        description="Assigns the case to the caller. 403 when the office does not let paralegals take cases or the "
        "case is of another office; 409 when the case is closed or already assigned (someone took it first).",
    )
    @action(detail=True, methods=["post"])
    def take(self, request, pk=None):
        case, data = self._case(), self._input(shapes.TakeSerializer)
        services.case_take(actor=request.user, case_id=case.pk, expected_version=data["expected_version"])
        return self._fresh(case.pk)

    @extend_schema(
        summary="Add a note to the case timeline",
        request=shapes.NoteSerializer,
        responses={201: shapes.CaseDetailSerializer, **errors(400, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def note(self, request, pk=None):
        case, data = self._case(), self._input(shapes.NoteSerializer)
        services.case_add_note(actor=request.user, case_id=case.pk, text=data["text"])
        return self._fresh(case.pk, status_code=status.HTTP_201_CREATED)

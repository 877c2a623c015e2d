"""What is owed (calculation inputs, runs and results), the money ledger, instalment plans and deadlines of a case.

Each write validates the shape of its input and calls one service in ``cases.money.services.calculations``,
``cases.money.services.ledger`` or ``cases.deadlines.services.deadlines``; those services hold every rule (a closed case
refuses, a reversal needs a reason, a deadline must be in the future …). Amounts travel as decimal strings in the
currency's own unit; the ledger stores integer minor units and the API shows both.
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from cases.deadlines.services import deadlines
from cases.models import (
    CalculationSettings,
    CalculationSnapshot,
    Case,
    Deadline,
    DeadlineKind,
    DeadlineStatus,
    EntryKind,
    Instalment,
    InstalmentPlan,
    Jurisdiction,
    LedgerEntry,
    OneOffItemRow,
    PayPeriodRow,
    Respondent,
    Route,
)
from cases.money import currencies
from cases.money.services import calculations, ledger

from .fields import OfficeDateTimeField, ZonedDateTimeField, model_label
from .schema import errors
from .views_documents import CaseScoped

ID = {"min_value": 1, "max_value": 2**31 - 1}


def _respondent(pk: int | None, field: str = "respondent") -> Respondent | None:
    if pk is None:
        return None
    respondent = Respondent.objects.filter(pk=pk).first()
    if respondent is None:
        raise serializers.ValidationError({field: [_("No such respondent.")]})
    return respondent


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# --- calculation -------------------------------------------------------------------------------------------------


class JurisdictionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Jurisdiction
        fields = ["id", "name", "country", "region"]


class JurisdictionList(generics.ListAPIView):
    """Reference data, the same for everyone: the jurisdictions whose wage rules the calculator knows."""

    serializer_class = JurisdictionSerializer
    queryset = Jurisdiction.objects.all()

    @extend_schema(
        summary="Jurisdictions with wage rules", responses={200: JurisdictionSerializer(many=True), **errors(400)}
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class CalculationSettingsSerializer(serializers.ModelSerializer):
    class Meta:
        model = CalculationSettings
        fields = ["jurisdiction", *[name for name in calculations.SETTINGS_FIELDS if name != "jurisdiction"]]
        extra_kwargs = {name: {"required": False} for name in calculations.SETTINGS_FIELDS}


class PayPeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = PayPeriodRow
        fields = ["id", *calculations.PERIOD_FIELDS]


class OneOffItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = OneOffItemRow
        fields = ["id", "kind", "amount", "description"]


class SnapshotSerializer(serializers.ModelSerializer):
    class Meta:
        model = CalculationSnapshot
        fields = [
            "id",
            "created_at",
            "created_by",
            "jurisdiction",
            "is_estimate",
            "basis_note",
            "uses_demo_rules",
            "total_owed",
            "currency",
            "rules_cited",
            "result",
        ]


class CalculationSettingsView(CaseScoped, generics.GenericAPIView):
    serializer_class = CalculationSettingsSerializer

    @extend_schema(
        summary="Set the calculation's jurisdiction, currency and mode (records or estimate)",
        request=CalculationSettingsSerializer,
        responses={200: CalculationSettingsSerializer, **errors(400, 403, 404, 409)},
    )
    def put(self, request, case_pk: int):
        case = self.get_case()
        serializer = CalculationSettingsSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        saved = calculations.calculation_settings_update(
            actor=request.user, case_id=case.pk, changes=dict(serializer.validated_data)
        )
        return Response(CalculationSettingsSerializer(saved).data)


class PayPeriodCreate(CaseScoped, generics.GenericAPIView):
    serializer_class = PayPeriodSerializer

    @extend_schema(
        summary="Add a pay period to the calculation inputs",
        request=PayPeriodSerializer,
        responses={201: PayPeriodSerializer, **errors(400, 403, 404, 409)},
    )
    def post(self, request, case_pk: int):
        case = self.get_case()
        data = _valid(PayPeriodSerializer, request.data)
        period = calculations.calculation_period_add(actor=request.user, case_id=case.pk, **data)
        return Response(PayPeriodSerializer(period).data, status=status.HTTP_201_CREATED)


class OneOffItemCreate(CaseScoped, generics.GenericAPIView):
    serializer_class = OneOffItemSerializer

    @extend_schema(
        summary="Add a one-off sum owed (recruitment fee, final pay, notice pay, leave, gratuity)",
        request=OneOffItemSerializer,
        responses={201: OneOffItemSerializer, **errors(400, 403, 404, 409)},
    )
    def post(self, request, case_pk: int):
        case = self.get_case()
        data = _valid(OneOffItemSerializer, request.data)
        item = calculations.calculation_item_add(actor=request.user, case_id=case.pk, **data)
        return Response(OneOffItemSerializer(item).data, status=status.HTTP_201_CREATED)


class CalculationListRun(CaseScoped, generics.GenericAPIView):
    serializer_class = SnapshotSerializer

    @extend_schema(
        summary="The case's calculations, latest first",
        responses={200: SnapshotSerializer(many=True), **errors(400, 404)},
    )
    def get(self, request, case_pk: int):
        page = self.paginate_queryset(CalculationSnapshot.objects.filter(case=self.get_case()).order_by("-id"))
        return self.get_paginated_response(SnapshotSerializer(page, many=True).data)

    @extend_schema(
        summary="Calculate what is owed now and keep the result",
        request=None,
        responses={201: SnapshotSerializer, **errors(400, 403, 404, 409)},
    )
    def post(self, request, case_pk: int):
        case = self.get_case()
        snapshot = calculations.calculation_run(actor=request.user, case_id=case.pk)
        return Response(SnapshotSerializer(snapshot).data, status=status.HTTP_201_CREATED)


# --- ledger --------------------------------------------------------------------------------------------------------


class LedgerEntrySerializer(serializers.ModelSerializer):
    amount = serializers.SerializerMethodField()

    class Meta:
        model = LedgerEntry
        fields = [
            "id",
            "kind",
            "amount",
            "amount_minor",
            "currency",
            "entry_date",
            "source",
            "respondent",
            "note",
            "reporting_currency",
            "reporting_amount_minor",
            "exchange_rate",
            "rate_date",
            "reverses",
            "reason",
            "created_at",
        ]

    def get_amount(self, entry) -> str:
        return str(currencies.from_minor(entry.amount_minor, entry.currency))


class LedgerRecordSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=EntryKind.choices)
    amount = serializers.DecimalField(max_digits=18, decimal_places=3, min_value=0)
    currency = serializers.CharField(max_length=3)
    entry_date = serializers.DateField()
    source = serializers.ChoiceField(choices=Route.choices)
    respondent = serializers.IntegerField(required=False, allow_null=True, default=None, **ID)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=ledger.NOTE_MAX_LENGTH)
    confirm_over_award = serializers.BooleanField(default=False)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=ledger.NOTE_MAX_LENGTH)


class LedgerListRecord(CaseScoped, generics.GenericAPIView):
    serializer_class = LedgerEntrySerializer

    @extend_schema(
        summary="The case's ledger entries", responses={200: LedgerEntrySerializer(many=True), **errors(400, 404)}
    )
    def get(self, request, case_pk: int):
        page = self.paginate_queryset(LedgerEntry.objects.filter(case=self.get_case()).order_by("-id"))
        return self.get_paginated_response(LedgerEntrySerializer(page, many=True).data)

    @extend_schema(
        summary="Record money claimed, awarded, settled, paid, disbursed or written off",
        request=LedgerRecordSerializer,
        responses={201: LedgerEntrySerializer, **errors(400, 403, 404, 409)},
    )
    def post(self, request, case_pk: int):
        case = self.get_case()
        data = _valid(LedgerRecordSerializer, request.data)
        data["respondent"] = _respondent(data["respondent"])
        entry = ledger.ledger_record(actor=request.user, case_id=case.pk, **data)
        return Response(LedgerEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class LedgerReverse(CaseScoped, generics.GenericAPIView):
    serializer_class = LedgerEntrySerializer

    @extend_schema(
        summary="Correct an entry with a reversing entry",
        request=ReasonSerializer,
        responses={201: LedgerEntrySerializer, **errors(400, 403, 404, 409)},
    )
    def post(self, request, case_pk: int, entry_id: int):
        case = self.get_case()
        data = _valid(ReasonSerializer, request.data)
        reversal = ledger.ledger_reverse(actor=request.user, case_id=case.pk, entry_id=entry_id, reason=data["reason"])
        return Response(LedgerEntrySerializer(reversal).data, status=status.HTTP_201_CREATED)


class InstalmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Instalment
        fields = ["id", "due_date", "amount_minor", "paid_entry"]


class InstalmentPlanSerializer(serializers.ModelSerializer):
    instalments = InstalmentSerializer(many=True)

    class Meta:
        model = InstalmentPlan
        fields = ["id", "currency", "total_minor", "source", "respondent", "note", "created_at", "instalments"]


class InstalmentInputSerializer(serializers.Serializer):
    due_date = serializers.DateField()
    amount = serializers.DecimalField(max_digits=18, decimal_places=3, min_value=0)


class InstalmentPlanInputSerializer(serializers.Serializer):
    currency = serializers.CharField(max_length=3)
    instalments = InstalmentInputSerializer(many=True, max_length=ledger.MAX_INSTALMENTS)
    respondent = serializers.IntegerField(required=False, allow_null=True, default=None, **ID)
    source = serializers.ChoiceField(choices=Route.choices, default=Route.NEGOTIATION)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=ledger.NOTE_MAX_LENGTH)


class InstalmentPlans(CaseScoped, generics.GenericAPIView):
    serializer_class = InstalmentPlanSerializer

    @extend_schema(
        summary="The case's instalment plans", responses={200: InstalmentPlanSerializer(many=True), **errors(400, 404)}
    )
    def get(self, request, case_pk: int):
        plans = InstalmentPlan.objects.filter(case=self.get_case()).prefetch_related("instalments").order_by("-id")
        page = self.paginate_queryset(plans)
        return self.get_paginated_response(InstalmentPlanSerializer(page, many=True).data)

    @extend_schema(
        summary="Record an agreed plan to pay in instalments",
        request=InstalmentPlanInputSerializer,
        responses={201: InstalmentPlanSerializer, **errors(400, 403, 404, 409)},
    )
    def post(self, request, case_pk: int):
        case = self.get_case()
        data = _valid(InstalmentPlanInputSerializer, request.data)
        plan = ledger.instalment_plan_create(
            actor=request.user,
            case_id=case.pk,
            currency=data["currency"],
            instalments=[(row["due_date"], row["amount"]) for row in data["instalments"]],
            respondent=_respondent(data["respondent"]),
            source=data["source"],
            note=data["note"],
        )
        plan = InstalmentPlan.objects.prefetch_related("instalments").get(pk=plan.pk)
        return Response(InstalmentPlanSerializer(plan).data, status=status.HTTP_201_CREATED)


# --- deadlines -----------------------------------------------------------------------------------------------------


NOT_TYPED = (DeadlineKind.LIMITATION, DeadlineKind.TASK)


def _deadline_zone(deadline: Deadline) -> str:
    return deadline.timezone


def _deadline_label(name: str):
    return model_label(Deadline, name)


class DeadlineSerializer(serializers.ModelSerializer):
    # In the deadline's own zone (its case office's), whoever asks: a 09:30 hearing in Bangkok reads 09:30+07:00.
    due_at = ZonedDateTimeField(
        zone_of=_deadline_zone, label=_deadline_label("due_at"), help_text="With the offset of `timezone`."
    )
    created_at = ZonedDateTimeField(zone_of=_deadline_zone, label=_deadline_label("created_at"))
    updated_at = ZonedDateTimeField(zone_of=_deadline_zone, label=_deadline_label("updated_at"))
    closed_at = ZonedDateTimeField(zone_of=_deadline_zone, label=_deadline_label("closed_at"), allow_null=True)

    class Meta:
        model = Deadline
        fields = [
            "id",
            "kind",
            "title",
            "assignee",
            "due_at",
            "timezone",
            "status",
            "status_reason",
            "closed_at",
            "note",
            "computed_from",
            "created_at",
            "updated_at",
        ]


class DeadlineInputSerializer(serializers.Serializer):
    # Limitation periods are computed; tasks (a title and an assignee) are not deadlines typed here.
    kind = serializers.ChoiceField(choices=[(k, label) for k, label in DeadlineKind.choices if k not in NOT_TYPED])
    due_at = OfficeDateTimeField(
        help_text="ISO 8601. With a UTC offset (2026-12-15T09:30:00+07:00) it is that moment; without one "
        "(2026-12-15T09:30:00) it is read in the case office's time zone. A local time skipped by daylight saving "
        "there is a 400."
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=deadlines.NOTE_MAX_LENGTH)


class DeadlineStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[(s, label) for s, label in DeadlineStatus.choices if s in ("met", "cancelled")]
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=deadlines.NOTE_MAX_LENGTH,
        help_text="Why; required to cancel.",
    )


class DeadlineReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=deadlines.NOTE_MAX_LENGTH)


class DeadlineListAdd(CaseScoped, generics.GenericAPIView):
    serializer_class = DeadlineSerializer

    @extend_schema(summary="The case's deadlines", responses={200: DeadlineSerializer(many=True), **errors(400, 404)})
    def get(self, request, case_pk: int):
        page = self.paginate_queryset(Deadline.objects.filter(case=self.get_case()).order_by("-id"))
        return self.get_paginated_response(DeadlineSerializer(page, many=True).data)

    @extend_schema(
        summary="Enter a deadline (a hearing, a filing due …); limitation periods are computed, not entered",
        request=DeadlineInputSerializer,
        responses={201: DeadlineSerializer, **errors(400, 403, 404)},
    )
    def post(self, request, case_pk: int):
        case = get_object_or_404(Case.objects.visible_to(request.user).select_related("office"), pk=case_pk)
        serializer = DeadlineInputSerializer(data=request.data, context={"zone_name": case.office.timezone})
        serializer.is_valid(raise_exception=True)
        deadline = deadlines.deadline_add(actor=request.user, case_id=case.pk, **serializer.validated_data)
        return Response(DeadlineSerializer(deadline).data, status=status.HTTP_201_CREATED)


def _visible_deadline_or_404(user, pk: int) -> Deadline:
    return get_object_or_404(Deadline.objects.filter(case__in=Case.objects.visible_to(user).values("pk")), pk=pk)


class DeadlineSetStatus(generics.GenericAPIView):
    serializer_class = DeadlineSerializer

    @extend_schema(
        summary="Mark a deadline met, or cancel it",
        request=DeadlineStatusSerializer,
        responses={200: DeadlineSerializer, **errors(400, 403, 404)},
    )
    def post(self, request, pk: int):
        _visible_deadline_or_404(request.user, pk)
        data = _valid(DeadlineStatusSerializer, request.data)
        deadline = deadlines.deadline_set_status(
            actor=request.user, deadline_id=pk, status=data["status"], reason=data["reason"]
        )
        return Response(DeadlineSerializer(deadline).data)


class DeadlineReopen(generics.GenericAPIView):
    serializer_class = DeadlineSerializer

    @extend_schema(
        summary="Open a met or cancelled deadline or task again",
        request=DeadlineReopenSerializer,
        responses={200: DeadlineSerializer, **errors(400, 403, 404)},
    )
    def post(self, request, pk: int):
        _visible_deadline_or_404(request.user, pk)
        data = _valid(DeadlineReopenSerializer, request.data)
        deadline = deadlines.deadline_reopen(actor=request.user, deadline_id=pk, reason=data["reason"])
        return Response(DeadlineSerializer(deadline).data)

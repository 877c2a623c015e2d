"""Admin for jurisdiction rules (edited here: they are data, not code) and read-only calculation snapshots.

A jurisdiction's rule versions are edited inline, where the formset checks that the versions
saved together do not overlap (each row's own ``clean()`` would compare against its siblings'
old dates); the stand-alone rule version form checks against the database in ``clean()``.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from cases.core.models import Case
from cases.money.models import CalculationSnapshot, Jurisdiction, LimitationRule, RuleVersion
from cases.money.models.jurisdiction import first_overlap


class RuleVersionInlineForm(forms.ModelForm):
    class Meta:
        model = RuleVersion
        fields = [
            "effective_from",
            "effective_to",
            "currency",
            "minimum_wage",
            "minimum_basis",
            "normal_hours_per_day",
            "normal_hours_per_week",
            "normal_days_per_week",
            "overtime_multiplier",
            "rest_day_multiplier",
            "holiday_multiplier",
            "source",
            "last_verified",
            "is_demo",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.overlap_checked_by_caller = True


class RuleVersionFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None)
            and not self._should_delete_form(form)
            and form.cleaned_data.get("effective_from")
        ]
        spans = [(form.cleaned_data["effective_from"], form.cleaned_data.get("effective_to")) for form in kept]
        clash = first_overlap(spans)
        if clash is not None:
            first, second = sorted(spans[i][0] for i in clash)
            raise ValidationError(
                _("The versions in force from %(first)s and from %(second)s overlap. Close the earlier one first.")
                % {"first": first.isoformat(), "second": second.isoformat()}
            )


class RuleVersionInline(admin.StackedInline):
    model = RuleVersion
    form = RuleVersionInlineForm
    formset = RuleVersionFormSet
    extra = 0
    ordering = ["effective_from"]
    fieldsets = [
        (None, {"fields": [("effective_from", "effective_to"), ("minimum_wage", "currency", "minimum_basis")]}),
        (
            _("Normal working time and multipliers"),
            {
                "fields": [
                    ("normal_hours_per_day", "normal_hours_per_week", "normal_days_per_week"),
                    ("overtime_multiplier", "rest_day_multiplier", "holiday_multiplier"),
                ]
            },
        ),
        (_("Where the figures come from"), {"fields": ["source", ("last_verified", "is_demo")]}),
    ]


class LimitationRuleInline(admin.TabularInline):
    model = LimitationRule
    extra = 0
    fields = ["forum", "period_months", "period_days", "trigger", "source", "last_verified", "is_demo"]


@admin.register(Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "region", "version_count"]
    list_filter = ["country"]
    search_fields = ["name", "region"]
    show_full_result_count = False
    inlines = [RuleVersionInline, LimitationRuleInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(version_count=Count("rule_versions"))

    @admin.display(description=_("rule versions"), ordering="version_count")
    def version_count(self, jurisdiction) -> int:
        return jurisdiction.version_count


@admin.register(RuleVersion)
class RuleVersionAdmin(admin.ModelAdmin):
    list_display = [
        "jurisdiction",
        "effective_from",
        "effective_to",
        "minimum_wage",
        "currency",
        "minimum_basis",
        "last_verified",
        "is_demo",
    ]
    list_filter = ["jurisdiction__country", "is_demo", "currency"]
    list_select_related = ["jurisdiction"]
    search_fields = ["jurisdiction__name", "source"]
    autocomplete_fields = ["jurisdiction"]
    show_full_result_count = False


@admin.register(LimitationRule)
class LimitationRuleAdmin(admin.ModelAdmin):
    list_display = ["jurisdiction", "forum", "period_months", "period_days", "trigger", "last_verified", "is_demo"]
    list_filter = ["jurisdiction__country", "trigger", "is_demo"]
    list_select_related = ["jurisdiction"]
    search_fields = ["jurisdiction__name", "forum"]
    autocomplete_fields = ["jurisdiction"]
    show_full_result_count = False


@admin.register(CalculationSnapshot)
class CalculationSnapshotAdmin(admin.ModelAdmin):
    """Snapshots are what filings cite: shown, never changed. Limited to the cases the user may see."""

    list_display = ["case", "created_at", "created_by", "total_owed", "currency", "is_estimate", "uses_demo_rules"]
    list_filter = ["is_estimate", "uses_demo_rules", "currency"]
    list_select_related = ["case", "created_by"]
    raw_id_fields = ["case", "created_by", "jurisdiction"]
    search_fields = ["=case__reference"]
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).filter(case__in=Case.objects.visible_to(request.user).values("pk"))

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

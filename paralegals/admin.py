from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Exists, OuterRef
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import ApiToken, Language, Office, Organisation, User
from .two_factor.services import two_factor_reset


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "country", "city", "paralegals_may_take_cases", "two_factor_required"]
    list_filter = ["organisation", "country", "paralegals_may_take_cases", "two_factor_required"]
    search_fields = ["name", "city"]
    list_select_related = ["organisation"]


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "get_full_name", "role", "office", "is_active", "two_factor"]
    list_filter = ["role", "office", "is_active", "is_global_coordinator"]
    list_select_related = ["office__organisation"]
    actions = ["reset_two_factor"]
    autocomplete_fields = ["office"]
    filter_horizontal = ["languages", "groups", "user_permissions"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Case work"), {"fields": ("role", "office", "is_global_coordinator", "languages")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Case work"), {"fields": ("role", "office", "is_global_coordinator")}),
    )

    def get_queryset(self, request):
        # Whether each person has set up two-factor sign-in: one EXISTS in the page's query, not one query a row.
        return (
            super()
            .get_queryset(request)
            .annotate(has_two_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)))
        )

    @admin.display(description=_("two-factor sign-in"), boolean=True, ordering="has_two_factor")
    def two_factor(self, obj) -> bool:
        return obj.has_two_factor

    @admin.action(description=_("Reset two-factor sign-in of the selected staff"), permissions=["change"])
    def reset_two_factor(self, request, queryset):
        """For someone who lost their phone: their app and recovery codes are removed; they set it up again at their
        next sign-in. Recorded in each person's history (the admin's log)."""
        users = list(queryset)
        reset = two_factor_reset(user_ids=[user.pk for user in users])
        for user in users:
            self.log_change(request, user, [{"changed": {"fields": ["two-factor sign-in (reset)"]}}])
        self.message_user(
            request,
            ngettext(
                "Two-factor sign-in reset for %(count)d person: they set it up again at their next sign-in.",
                "Two-factor sign-in reset for %(count)d people: they set it up again at their next sign-in.",
                reset,
            )
            % {"count": reset},
            messages.SUCCESS,
        )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens for integrations. Adding one shows its key once (only its SHA-256 is kept); revoking is an action."""

    list_display = ["name", "prefix", "user", "created_at", "last_used_at", "expires_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["user"]
    search_fields = ["name", "prefix", "user__username"]
    raw_id_fields = ["user"]
    readonly_fields = ["prefix", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]
    show_full_result_count = False

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "name", "expires_at"]
        return ["user", "name", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at"]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is None else [*self.readonly_fields, "user", "name"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        token, key = ApiToken.objects.issue(user=obj.user, name=obj.name, expires_at=obj.expires_at)
        obj.pk, obj.prefix = token.pk, token.prefix
        request._api_token_key = key  # shown by response_add, once; never stored in clear

    def response_add(self, request, obj, post_url_continue=None):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "token": obj,
            "key": request._api_token_key,
            "title": _("API token created"),
        }
        response = TemplateResponse(request, "admin/paralegals/apitoken/key_issued.html", context)
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, _("%(count)d tokens revoked.") % {"count": count}, messages.SUCCESS)


# --- Sign-in records (django-axes, paralegals.signin) -------------------------------------------------------------
# Access attempts are the failed sign-ins per (username, address); a row at the limit is a lockout, and removing it
# lifts the lockout ("Lift the lockout" below, or Delete). The sign-in and failure logs are history: read-only.


class SignInAttemptAdmin(axes_admin.AccessAttemptAdmin):
    actions = ["lift_lockout", *(axes_admin.AccessAttemptAdmin.actions or [])]

    @admin.action(description=_("Lift the lockout of the selected attempts"), permissions=["delete"])
    def lift_lockout(self, request, queryset):
        _total, by_model = queryset.delete()
        lifted = by_model.get(AccessAttempt._meta.label, 0)
        self.message_user(
            request,
            ngettext(
                "%(count)d record of failed sign-ins cleared: that username may sign in again from that address.",
                "%(count)d records of failed sign-ins cleared: those usernames may sign in again from those addresses.",
                lifted,
            )
            % {"count": lifted},
            messages.SUCCESS,
        )


class SignInLogAdmin(axes_admin.AccessLogAdmin):
    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class SignInFailureLogAdmin(axes_admin.AccessFailureLogAdmin):
    def has_delete_permission(self, request, obj=None) -> bool:
        return False


for _model, _model_admin in (
    (AccessAttempt, SignInAttemptAdmin),
    (AccessLog, SignInLogAdmin),
    (AccessFailureLog, SignInFailureLogAdmin),
):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, _model_admin)


# The devices themselves are not edited in the admin (django-otp's pages would show an app's secret, letting whoever
# reads it make codes for that person); the staff list's "Reset two-factor sign-in" action removes them.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)

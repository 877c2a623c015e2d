"""The erasure request from the admin: an action on a worker that opens the erasure page (cases.retention.views),
where the reason is given and confirmed. The page and its service are the one way in; the action only leads there."""

from django.contrib import admin, messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.audit.admin import AuditedClaimantAdmin
from cases.core.models import Case
from claimants.models import Claimant

admin.site.unregister(Claimant)


@admin.register(Claimant)
class ClaimantWithErasureAdmin(AuditedClaimantAdmin):
    """The worker's admin page as the read audit records it, with the erasure request."""

    actions = ["erase_personal_data"]
    readonly_fields = [*AuditedClaimantAdmin.readonly_fields, "anonymised_at"]

    @admin.action(description=gettext_lazy("Erase this worker's personal data (erasure request)"))
    def erase_personal_data(self, request, queryset):
        if len(queryset[:2]) != 1:
            self.message_user(request, _("Choose one worker for an erasure request."), messages.ERROR)
            return None
        case = Case.objects.visible_to(request.user).filter(claimant=queryset.get()).order_by("-opened_at").first()
        if case is None:
            self.message_user(request, _("This worker has no case you can see."), messages.ERROR)
            return None
        return redirect("erase_worker", pk=case.pk)

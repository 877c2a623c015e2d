"""Admin settings shared by every model: usable with a million rows.

Django's change list runs ``COUNT(*)`` twice per page (filtered and full). With
``show_full_result_count = False`` the full count goes away and the paginator
below caps the filtered count, so a page of a 1M-row table costs one bounded
count and one LIMIT query. This module is imported last (``config`` is the last
installed app), so it can adjust every registered ModelAdmin without the apps
importing ``config`` (imports point one way).
"""

from django.conf import settings
from django.contrib import admin
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class CappedCountPaginator(Paginator):
    """Counts at most ``ADMIN_COUNT_CAP`` rows: ``SELECT COUNT(*) FROM (… LIMIT cap)``."""

    @cached_property
    def count(self) -> int:
        cap = settings.ADMIN_COUNT_CAP
        return self.object_list[: cap + 1].count() if hasattr(self.object_list, "query") else len(self.object_list)


admin.site.site_header = _("Redress administration")
admin.site.site_title = "Redress"  # the product name is not translated
admin.site.index_title = _("Cases, people and settings")

for model_admin in admin.site._registry.values():
    model_admin.paginator = CappedCountPaginator
    model_admin.show_full_result_count = False

"""The API: ``/api/v1/…`` (see docs/api.md), its OpenAPI schema at ``/api/schema/`` and the docs at ``/api/docs/``."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from . import views_cases, views_documents, views_money, views_people, views_statistics, views_status
from .errors import NotFoundView

router = SimpleRouter()
router.register("cases", views_cases.CaseViewSet, basename="api-case")
router.register("claimants", views_people.ClaimantViewSet, basename="api-claimant")
router.register("respondents", views_people.RespondentViewSet, basename="api-respondent")

v1 = [
    *router.urls,
    path("cases/<int:case_pk>/evidence/", views_documents.EvidenceListUpload.as_view(), name="api-evidence"),
    path(
        "evidence/<int:evidence_id>/download/", views_documents.EvidenceDownload.as_view(), name="api-evidence-download"
    ),
    path("cases/<int:case_pk>/filings/", views_documents.FilingListRequest.as_view(), name="api-filings"),
    path("filings/<int:pk>/", views_documents.FilingDetail.as_view(), name="api-filing"),
    path("filings/<int:pk>/download/", views_documents.FilingDownload.as_view(), name="api-filing-download"),
    path("jurisdictions/", views_money.JurisdictionList.as_view(), name="api-jurisdictions"),
    path(
        "cases/<int:case_pk>/calculation/settings/",
        views_money.CalculationSettingsView.as_view(),
        name="api-calculation-settings",
    ),
    path("cases/<int:case_pk>/calculation/periods/", views_money.PayPeriodCreate.as_view(), name="api-pay-periods"),
    path("cases/<int:case_pk>/calculation/items/", views_money.OneOffItemCreate.as_view(), name="api-one-off-items"),
    path("cases/<int:case_pk>/calculations/", views_money.CalculationListRun.as_view(), name="api-calculations"),
    path("cases/<int:case_pk>/ledger/", views_money.LedgerListRecord.as_view(), name="api-ledger"),
    path(
        "cases/<int:case_pk>/ledger/<int:entry_id>/reverse/",
        views_money.LedgerReverse.as_view(),
        name="api-ledger-reverse",
    ),
    path("cases/<int:case_pk>/instalment-plans/", views_money.InstalmentPlans.as_view(), name="api-instalment-plans"),
    path("cases/<int:case_pk>/deadlines/", views_money.DeadlineListAdd.as_view(), name="api-deadlines"),
    path("deadlines/<int:pk>/status/", views_money.DeadlineSetStatus.as_view(), name="api-deadline-status"),
    path("deadlines/<int:pk>/reopen/", views_money.DeadlineReopen.as_view(), name="api-deadline-reopen"),
    path("status/", views_status.StatusLookup.as_view(), name="api-status"),
    path("statistics/", views_statistics.Statistics.as_view(), name="api-statistics"),
]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    # Anything else under /api/ (an unknown path, an id that is not a positive integer) is a JSON 404, not a page.
    re_path(r"^.*$", NotFoundView.as_view(), name="api-not-found"),
]

from cases.audit.routes import audit_case_parts

from .views import evidence, filings, statistics

# Every route of a part of a case (the evidence and filings panels and pages) records who read it.
urlpatterns = audit_case_parts(evidence.urlpatterns + filings.urlpatterns + statistics.urlpatterns)

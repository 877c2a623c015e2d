from django.urls import path

from cases.audit import views as audit_views
from cases.audit.routes import audit_case_parts
from cases.core.views import case as case_views
from cases.core.views import intake, lists
from cases.deadlines.views import calendar as calendar_views
from cases.deadlines.views import deadlines, inbox, my_work, reminders
from cases.money.views import calculation, ledger
from cases.pages import case_page, home
from cases.portal import staff as portal_staff
from cases.retention import views as retention_views

urlpatterns = [
    path("", home.home, name="home"),
    path("my-work/", my_work.my_work, name="my_work"),
    path("my-work/<int:deadline_pk>/status/", my_work.my_work_status, name="my_work_status"),
    path("cases/", lists.case_list, name="case_list"),
    path("cases/new/", intake.intake, name="intake"),
    path("cases/bulk-assign/", lists.case_bulk_assign, name="case_bulk_assign"),
    path("cases/<int:pk>/", case_page.case_detail, name="case_detail"),
    path("respondents/<int:pk>/", lists.respondent_detail, name="respondent_detail"),
]
# Each section of the case page: its actions and the GET that returns it alone (cases/<pk>/section/<name>/).
urlpatterns += (
    case_views.urlpatterns
    + calculation.urlpatterns
    + ledger.urlpatterns
    + deadlines.urlpatterns
    + reminders.urlpatterns
    # The worker's status check, seen from the case.
    + portal_staff.urlpatterns
    + inbox.urlpatterns
    + calendar_views.urlpatterns
    # Who has looked at a case (coordinators).
    + audit_views.urlpatterns
    # A worker's erasure request (coordinators).
    + retention_views.urlpatterns
)
# Every route of a part of a case records who read it (cases/audit/routes.py).
urlpatterns = audit_case_parts(urlpatterns)

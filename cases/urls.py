from django.urls import path

from cases.core.views import intake, lists
from cases.deadlines.views import calendar as calendar_views
from cases.deadlines.views import deadlines, inbox, my_work
from cases.money.views import calculation, ledger
from cases.pages import case_page, home
from cases.portal import staff as portal_staff

urlpatterns = [
    path("", home.home, name="home"),
    path("my-work/", my_work.my_work, name="my_work"),
    path("my-work/<int:deadline_pk>/status/", my_work.my_work_status, name="my_work_status"),
    path("cases/", lists.case_list, name="case_list"),
    path("cases/new/", intake.intake, name="intake"),
    path("cases/bulk-assign/", lists.case_bulk_assign, name="case_bulk_assign"),
    path("cases/<int:pk>/", case_page.case_detail, name="case_detail"),
    path("cases/<int:pk>/move/", case_page.case_move, name="case_move"),
    path("cases/<int:pk>/close/", case_page.case_close_view, name="case_close"),
    path("cases/<int:pk>/reopen/", case_page.case_reopen_view, name="case_reopen"),
    path("cases/<int:pk>/assign/", case_page.case_assign_view, name="case_assign"),
    path("cases/<int:pk>/take/", case_page.case_take_view, name="case_take"),
    path("cases/<int:pk>/note/", case_page.case_note, name="case_note"),
    path("cases/<int:pk>/edit/", case_page.case_edit, name="case_edit"),
    path("respondents/<int:pk>/", lists.respondent_detail, name="respondent_detail"),
    # The worker's status check, seen from the case (cases.portal.staff).
    path("cases/<int:pk>/status-check/pin/", portal_staff.pin_reissue_view, name="case_pin_reissue"),
    path("cases/<int:pk>/status-check/unlock/", portal_staff.portal_unlock_view, name="case_portal_unlock"),
    path("cases/<int:pk>/status-check/amounts/", portal_staff.portal_amounts_view, name="case_portal_amounts"),
    path(
        "cases/<int:pk>/status-check/phone/<int:request_id>/",
        portal_staff.phone_request_handled_view,
        name="case_phone_request_handled",
    ),
]
urlpatterns += (
    calculation.urlpatterns
    + ledger.urlpatterns
    + deadlines.urlpatterns
    + inbox.urlpatterns
    + calendar_views.urlpatterns
)

from django.urls import path

from .views import calculation, case_page, deadlines, home, intake, ledger, lists

urlpatterns = [
    path("", home.home, name="home"),
    path("cases/", lists.case_list, name="case_list"),
    path("cases/new/", intake.intake, name="intake"),
    path("cases/<int:pk>/", case_page.case_detail, name="case_detail"),
    path("cases/<int:pk>/move/", case_page.case_move, name="case_move"),
    path("cases/<int:pk>/close/", case_page.case_close_view, name="case_close"),
    path("cases/<int:pk>/reopen/", case_page.case_reopen_view, name="case_reopen"),
    path("cases/<int:pk>/assign/", case_page.case_assign_view, name="case_assign"),
    path("cases/<int:pk>/note/", case_page.case_note, name="case_note"),
    path("cases/<int:pk>/edit/", case_page.case_edit, name="case_edit"),
    path("respondents/<int:pk>/", lists.respondent_detail, name="respondent_detail"),
]
urlpatterns += calculation.urlpatterns + ledger.urlpatterns + deadlines.urlpatterns

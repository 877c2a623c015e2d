from django.urls import path

from cases.statistics import views

urlpatterns = [
    path("", views.dashboard, name="statistics_dashboard"),
    path("export/<slug:name>.csv", views.export_table, name="statistics_export_table"),
    path("export.zip", views.export_all, name="statistics_export_all"),
    path("refresh/", views.refresh_now, name="statistics_refresh"),
]

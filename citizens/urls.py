from django.urls import path

from . import quality_views, views

app_name = "citizens"

urlpatterns = [
    path("records/search/", views.search, name="search"),
    path("records/access-log/", views.access_log, name="access-log"),
    path("records/quality/", quality_views.report_page, name="quality"),
    path("records/quality/run/", quality_views.report_run, name="quality-run"),
    path("records/quality/<str:code>/", quality_views.check_list, name="quality-list"),
    path("records/quality/<str:code>/export.csv", quality_views.check_csv, name="quality-csv"),
    path(
        "records/applications/<appno:application_number>/",
        views.application_detail,
        name="application",
    ),
]

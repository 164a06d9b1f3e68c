from django.urls import path

from . import api, quality_views

urlpatterns = [
    path("records/quality/", quality_views.ReportView.as_view(), name="api-records-quality"),
    path(
        "records/quality/run/", quality_views.RunView.as_view(), name="api-records-quality-run"
    ),
    path("applications/", api.ApplicationSearchView.as_view(), name="api-applications"),
    path(
        "applications/<appno:application_number>/",
        api.ApplicationDetailView.as_view(),
        name="api-application",
    ),
]

from django.urls import path

from . import api

urlpatterns = [
    path("applications/", api.ApplicationSearchView.as_view(), name="api-applications"),
    path(
        "applications/<appno:application_number>/",
        api.ApplicationDetailView.as_view(),
        name="api-application",
    ),
]

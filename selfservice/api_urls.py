from django.urls import path

from . import api

urlpatterns = [
    path(
        "public/application-status/",
        api.ApplicationStatusView.as_view(),
        name="api-public-application-status",
    ),
    path("public/ticket-status/", api.TicketStatusView.as_view(), name="api-public-ticket-status"),
]

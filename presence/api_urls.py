from django.urls import path

from . import api

urlpatterns = [
    path("agents/me/status/", api.MyStatusView.as_view(), name="api-my-status"),
]

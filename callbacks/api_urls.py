from django.urls import path

from . import api

urlpatterns = [
    path("callbacks/", api.CallbackListView.as_view(), name="api-callbacks"),
    path("callbacks/<int:pk>/claim/", api.ClaimView.as_view(), name="api-callback-claim"),
    path("callbacks/<int:pk>/outcome/", api.OutcomeView.as_view(), name="api-callback-outcome"),
]

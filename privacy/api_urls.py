from django.urls import path

from . import api

urlpatterns = [
    path("personal-data/", api.PersonalDataView.as_view(), name="api-personal-data"),
]

from django.urls import path

from . import views

app_name = "citizens"

urlpatterns = [
    path("records/search/", views.search, name="search"),
    path("records/access-log/", views.access_log, name="access-log"),
    path(
        "records/applications/<appno:application_number>/",
        views.application_detail,
        name="application",
    ),
]

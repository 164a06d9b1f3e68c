from django.urls import path

from . import views

app_name = "corrections"

urlpatterns = [
    path("corrections/", views.list_index, name="lists"),
    path("corrections/run/", views.run_now, name="run"),
    path("corrections/<int:number>/", views.list_detail, name="list"),
    path(
        "corrections/<int:number>/export.csv", views.list_export, {"extension": "csv"}, name="csv"
    ),
    path(
        "corrections/<int:number>/export.xlsx",
        views.list_export,
        {"extension": "xlsx"},
        name="xlsx",
    ),
    path("corrections/requests/<int:pk>/answer/", views.answer, name="answer"),
    path(
        "tickets/<ref:reference>/corrections/", views.request_correction, name="request-correction"
    ),
]

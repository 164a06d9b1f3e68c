from django.urls import path

from . import views

app_name = "reprints"

urlpatterns = [
    path("reprints/", views.batch_list, name="batches"),
    path("reprints/run/", views.run_now, name="run"),
    path("reprints/schedule/", views.policy_update, name="policy"),
    path("reprints/<int:number>/", views.batch_detail, name="batch"),
    path("reprints/<int:number>/printed/", views.batch_printed, name="batch-printed"),
    path("reprints/<int:number>/export.csv", views.batch_export, {"extension": "csv"}, name="csv"),
    path(
        "reprints/<int:number>/export.xlsx", views.batch_export, {"extension": "xlsx"}, name="xlsx"
    ),
    path("reprints/items/<int:pk>/mark/", views.item_mark, name="mark"),
    path("tickets/<ref:reference>/request-reprint/", views.request_reprint, name="request-reprint"),
]

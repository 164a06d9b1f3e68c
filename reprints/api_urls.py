from django.urls import path

from . import api

urlpatterns = [
    path("reprint-batches/", api.BatchListView.as_view(), name="api-reprint-batches"),
    path("reprint-batches/run/", api.RunView.as_view(), name="api-reprint-run"),
    path("reprint-batches/<int:number>/", api.BatchDetailView.as_view(), name="api-reprint-batch"),
    path(
        "reprint-batches/<int:number>/export.csv",
        api.BatchExportView.as_view(),
        {"extension": "csv"},
        name="api-reprint-export-csv",
    ),
    path(
        "reprint-batches/<int:number>/export.xlsx",
        api.BatchExportView.as_view(),
        {"extension": "xlsx"},
        name="api-reprint-export-xlsx",
    ),
    path("reprint-items/<int:pk>/mark/", api.MarkView.as_view(), name="api-reprint-mark"),
    path(
        "tickets/<ref:reference>/request-reprint/",
        api.RequestReprintView.as_view(),
        name="api-request-reprint",
    ),
]

from django.urls import path

from . import api

urlpatterns = [
    path(
        "tickets/<ref:reference>/corrections/",
        api.TicketCorrectionView.as_view(),
        name="api-ticket-corrections",
    ),
    path("corrections/", api.CorrectionListView.as_view(), name="api-corrections"),
    path("corrections/<int:pk>/answer/", api.AnswerView.as_view(), name="api-correction-answer"),
    path("correction-lists/", api.ListsView.as_view(), name="api-correction-lists"),
    path("correction-lists/run/", api.RunView.as_view(), name="api-correction-lists-run"),
    path(
        "correction-lists/<int:number>/", api.ListDetailView.as_view(), name="api-correction-list"
    ),
    path(
        "correction-lists/<int:number>/export.csv",
        api.ListExportView.as_view(),
        {"extension": "csv"},
        name="api-correction-list-csv",
    ),
    path(
        "correction-lists/<int:number>/export.xlsx",
        api.ListExportView.as_view(),
        {"extension": "xlsx"},
        name="api-correction-list-xlsx",
    ),
]

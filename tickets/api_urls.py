from django.urls import path

from . import api

urlpatterns = [
    path("tickets/", api.TicketListCreateView.as_view(), name="api-tickets"),
    path("tickets/<ref:reference>/", api.TicketDetailView.as_view(), name="api-ticket"),
    path("tickets/<ref:reference>/escalate/", api.EscalateView.as_view(), name="api-escalate"),
    path("tickets/<ref:reference>/resolve/", api.ResolveView.as_view(), name="api-resolve"),
    path("tickets/<ref:reference>/reopen/", api.ReopenView.as_view(), name="api-reopen"),
    path("tickets/<ref:reference>/notes/", api.NoteCreateView.as_view(), name="api-notes"),
    path("tickets/<ref:reference>/claim/", api.ClaimView.as_view(), name="api-claim"),
    path("tickets/<ref:reference>/release/", api.ReleaseView.as_view(), name="api-release"),
    path(
        "tickets/<ref:reference>/link-application/",
        api.LinkApplicationView.as_view(),
        name="api-link-application",
    ),
    path("queue/", api.QueueView.as_view(), name="api-queue"),
    path("cti/events/", api.CallEventView.as_view(), name="api-cti-events"),
    path("stats/daily/", api.DailyStatsView.as_view(), name="api-stats-daily"),
    path("stats/agents/", api.AgentStatsView.as_view(), name="api-stats-agents"),
    path(
        "callers/<str:phone>/history/", api.CallerHistoryView.as_view(), name="api-caller-history"
    ),
]

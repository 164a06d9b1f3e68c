from django.urls import path

from . import cti, views

urlpatterns = [
    path("tickets/", views.TicketListCreateView.as_view(), name="api-tickets"),
    path("tickets/<ref:reference>/", views.TicketDetailView.as_view(), name="api-ticket"),
    path("tickets/<ref:reference>/escalate/", views.EscalateView.as_view(), name="api-escalate"),
    path("tickets/<ref:reference>/resolve/", views.ResolveView.as_view(), name="api-resolve"),
    path("tickets/<ref:reference>/reopen/", views.ReopenView.as_view(), name="api-reopen"),
    path("tickets/<ref:reference>/notes/", views.NoteCreateView.as_view(), name="api-notes"),
    path("tickets/<ref:reference>/calls/", views.FollowUpView.as_view(), name="api-follow-up"),
    path("tickets/<ref:reference>/claim/", views.ClaimView.as_view(), name="api-claim"),
    path("tickets/<ref:reference>/release/", views.ReleaseView.as_view(), name="api-release"),
    path(
        "tickets/<ref:reference>/link-application/",
        views.LinkApplicationView.as_view(),
        name="api-link-application",
    ),
    path("queue/", views.QueueView.as_view(), name="api-queue"),
    path("cti/events/", cti.CallEventView.as_view(), name="api-cti-events"),
    path(
        "callers/<str:phone>/history/",
        views.CallerHistoryView.as_view(),
        name="api-caller-history",
    ),
]

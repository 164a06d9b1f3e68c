from django.urls import path

from . import console, views

app_name = "tickets"

urlpatterns = [
    path("console/", console.console, name="console"),
    path("console/history/", console.caller_history_fragment, name="caller-history"),
    path("console/recent/", console.recent_tickets_fragment, name="recent"),
    path("console/incoming/", console.incoming_fragment, name="incoming"),
    path("tickets/", views.ticket_list, name="list"),
    path("tickets/<ref:reference>/", views.ticket_detail, name="detail"),
    path("tickets/<ref:reference>/escalate/", views.ticket_escalate, name="escalate"),
    path("tickets/<ref:reference>/resolve/", views.ticket_resolve, name="resolve"),
    path("tickets/<ref:reference>/reopen/", views.ticket_reopen, name="reopen"),
    path("tickets/<ref:reference>/notes/", views.note_add, name="note-add"),
    path("tickets/<ref:reference>/claim/", views.ticket_claim, name="claim"),
    path("tickets/<ref:reference>/release/", views.ticket_release, name="release"),
    path("tickets/<ref:reference>/link/", views.ticket_link, name="link"),
    path("queue/", views.queue, name="queue"),
]

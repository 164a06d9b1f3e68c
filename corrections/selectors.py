"""Read-side queries of the corrections app, shared by pages and API."""

from django.db.models import Count, Q

from citizens.services import application_field_text

from .models import CorrectionList, CorrectionRequest, Field


def lists():
    """Correction lists, newest first, each with its request counts."""
    unfinished = Q(requests__status__in=["open", "sent"])
    return CorrectionList.objects.annotate(
        request_count=Count("requests"), unanswered=Count("requests", filter=unfinished)
    ).order_by("-number")


def requests(status: str = ""):
    rows = CorrectionRequest.objects.select_related("application", "correction_list")
    rows = rows.prefetch_related("tickets").order_by("-requested_at", "-id")
    return rows.filter(status=status) if status else rows


def ticket_requests(ticket) -> list[CorrectionRequest]:
    """The ticket's correction requests. A ticket never linked to an application has
    none, without asking: requests are filed on the linked application, and a link is
    replaced, never removed."""
    if ticket.linked_application_id is None:
        return []
    return list(
        CorrectionRequest.objects.filter(tickets=ticket)
        .select_related("correction_list")
        .order_by("id")
    )


def ticket_panel(ticket, actions, ticket_requests) -> dict:
    """The panel's context: the fields, each with the value on record, to choose from."""
    context = {"correction_requests": ticket_requests}
    application = ticket.linked_application
    if "request_correction" in actions and application is not None:
        context["correction_fields"] = [
            (value, label, application_field_text(application, value))
            for value, label in Field.choices
        ]
    return context

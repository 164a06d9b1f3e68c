"""What an officer's ticket page starts from: the record search pre-filled from the
ticket, and the resolution that fits the linked application."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from callcenter.calendar import add_working_days
from callcenter.privacy import can_see_identity
from citizens.forms import ApplicationSearchForm
from citizens.models import ApplicationStatus
from citizens.search import LEGAL_WORKING_DAYS
from citizens.services import records_shown

from .models import ResolutionCode, Ticket

IDENTITY_SHOWN = ("caller_name", "date_of_birth", "cccd_number", "old_id_number")


def identity_shown(*, user, what: str, tickets) -> None:
    """Tickets (objects or their JSON) shown with full identity to a role that sees it:
    one access-log row naming them, so the log answers who saw a citizen's data."""
    if not can_see_identity(user):
        return
    get = lambda t, f: t.get(f) if isinstance(t, dict) else getattr(t, f)  # noqa: E731
    shown = [get(t, "reference") for t in tickets if any(get(t, f) for f in IDENTITY_SHOWN)]
    records_shown(user=user, what=what, tickets=shown)


def search_form_for(ticket: Ticket) -> tuple[ApplicationSearchForm, bool]:
    """The search the ticket's identity fields allow, most precise first, and whether
    it is complete enough to run at once."""
    initial = {"ticket": ticket.reference}
    if ticket.cccd_number:
        initial["cccd_number"] = ticket.cccd_number
    elif ticket.old_id_number:
        initial["old_id_number"] = ticket.old_id_number
    elif ticket.caller_name and ticket.date_of_birth:
        initial.update(full_name=ticket.caller_name, date_of_birth=ticket.date_of_birth)
    elif ticket.caller_name:
        initial["q"] = ticket.caller_name
    ready = any(initial.get(name) for name in ("cccd_number", "old_id_number", "full_name"))
    return ApplicationSearchForm(initial=initial), ready


def suggested_resolution(ticket: Ticket) -> dict:
    """The resolution code and note an officer would give for what was found."""
    application = ticket.linked_application
    if application is None:
        return {}
    status = application.status
    if status == ApplicationStatus.DISPATCHED:
        return {
            "resolution_code": ResolutionCode.CARD_AT_LOCAL_POLICE,
            "resolution_note": _("Card at %(unit)s since %(date)s; collect it there.")
            % {"unit": application.receiving_unit, "date": _day(application.dispatched_on)},
        }
    if status == ApplicationStatus.REJECTED:
        return {
            "resolution_code": ResolutionCode.MUST_REAPPLY,
            "resolution_note": _("Application rejected (%(reason)s): the citizen must apply again.")
            % {"reason": application.get_rejection_reason_display()},
        }
    if status == ApplicationStatus.DELIVERED:
        return {
            "resolution_code": ResolutionCode.ANSWERED,
            "resolution_note": _("Card delivered to the citizen on %(date)s.")
            % {"date": _day(application.delivered_on)},
        }
    promised = max(
        add_working_days(application.lodged_on, LEGAL_WORKING_DAYS),
        add_working_days(timezone.localdate(), 3),
    )
    return {
        "resolution_code": ResolutionCode.IN_PROCESSING,
        "resolution_note": _("Still in processing (%(status)s); promised by %(date)s.")
        % {"status": application.get_status_display(), "date": _day(promised)},
    }


def _day(value) -> str:
    return date_format(value, "d/m/Y") if value else "—"


# Resolution codes that state what the records show, and the application statuses
# that support them; None: no application may be linked.
RESOLUTION_FITS = {
    ResolutionCode.CARD_AT_LOCAL_POLICE: {ApplicationStatus.DISPATCHED},
    ResolutionCode.MUST_REAPPLY: {ApplicationStatus.REJECTED},
    ResolutionCode.IN_PROCESSING: {
        ApplicationStatus.RECEIVED,
        ApplicationStatus.APPROVED,
        ApplicationStatus.PRINTING,
        ApplicationStatus.PRINTED,
    },
    ResolutionCode.NOT_FOUND: None,
}


def check_resolution_fits(ticket: Ticket, code: str) -> None:
    """Refuse a resolution code that contradicts the linked application (or its absence)."""
    if code not in RESOLUTION_FITS:
        return
    application = ticket.linked_application
    fits = RESOLUTION_FITS[code]
    label = ResolutionCode(code).label
    if fits is None and application is not None:
        message = _("Resolution: “%(code)s” cannot be used with a linked application.")
    elif fits is not None and application is None:
        message = _("Resolution: “%(code)s” needs a linked application.")
    elif fits is not None and application.status not in fits:
        message = _("Resolution: “%(code)s” does not fit an application that is %(status)s.")
    else:
        return
    status = ApplicationStatus(application.status).label if application else ""
    raise ValidationError(
        {"resolution_code": [message % {"code": label, "status": status}]}, code="misfit"
    )

"""Personal data shown only to the roles that need it.

Officers and supervisors see full CCCD numbers and dates of birth; every other role
sees them masked, in pages and in the API alike.
"""

import datetime

FULL_IDENTITY_PERMISSION = "citizens.view_full_identity"


def can_see_identity(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(FULL_IDENTITY_PERMISSION))


def mask_cccd(number: str) -> str:
    """`001090012345` → `001******345` (also old ID numbers): the province stays, the
    person does not."""
    if not number:
        return number
    return number[:3] + "*" * max(0, len(number) - 6) + number[-3:]


def mask_birth_date(value: datetime.date | None) -> str | None:
    """Only the year: `1990-**-**`."""
    return None if value is None else f"{value.year}-**-**"


def identity_visible(user, ticket) -> bool:
    """Full identity numbers on one ticket: roles that may see them, and the agent who
    logged the ticket (they typed them in)."""
    return can_see_identity(user) or ticket.created_by_id == getattr(user, "pk", None)


def masked_identity(ticket) -> dict:
    return {
        "cccd_number": mask_cccd(ticket.cccd_number),
        "old_id_number": mask_cccd(ticket.old_id_number),
        "date_of_birth": mask_birth_date(ticket.date_of_birth),
    }


def masked_identity_for_page(ticket) -> dict:
    """The same, with the date of birth as pages write dates (`**/**/1990`)."""
    born = ticket.date_of_birth
    return {
        **masked_identity(ticket),
        "date_of_birth_display": f"**/**/{born.year}" if born else "",
    }

"""How the product names a member of staff: family name first, as Vietnamese names are
written ("Nguyễn Thị Lan"). Django's fields keep the parts apart — `last_name` the
family name ("Nguyễn"), `first_name` the rest ("Thị Lan") — and get_full_name would
put them the Western way round, so pages use `staff_name`, and the staff form shows
`full_name` and splits what is typed with `split_name`."""

import re


def full_name(user) -> str:
    return f"{user.last_name} {user.first_name}".strip()


def staff_name(user) -> str:
    """The name, or the username when none is recorded."""
    return "—" if user is None else full_name(user) or user.username


def split_name(typed: str) -> tuple[str, str]:
    """(first_name, last_name) of a full name typed family name first."""
    family, _, given = (typed or "").strip().partition(" ")
    return given, family


def natural_key(text: str) -> list:
    """A sort key ordering the numbers inside a text by value: agent2 before agent10."""
    return [int(part) if part.isdigit() else part.casefold() for part in re.split(r"(\d+)", text)]

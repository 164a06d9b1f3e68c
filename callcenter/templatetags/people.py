"""`{% load people %}` … `{{ ticket.assignee|staff_name }}` (callcenter.people),
`{{ group.name|role_label }}` (callcenter.staff.ROLE_LABELS)."""

from django import template

from callcenter.people import staff_name
from callcenter.staff import ROLE_LABELS

register = template.Library()
register.filter("staff_name", staff_name)


@register.filter
def role_label(name: str) -> str:
    """A role group's name as the staff pages say it, translated."""
    return str(ROLE_LABELS.get(name, name))

"""`{% load people %}` … `{{ ticket.assignee|staff_name }}` (callcenter.people)."""

from django import template

from callcenter.people import staff_name

register = template.Library()
register.filter("staff_name", staff_name)

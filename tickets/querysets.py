"""Ticket queries every reader uses: with the people loaded, and the agent's search."""

import re

from django.db import models

from callcenter.converters import TICKET_REFERENCE_START

REFERENCE_START = re.compile(rf"^{TICKET_REFERENCE_START}$")


class TicketQuerySet(models.QuerySet):
    def with_people(self):
        return self.select_related("created_by", "assignee", "linked_application", "answer")

    def search(self, query: str):
        """Match a reference (`2611-00042`, or its start), a phone number or a name."""
        query = query.strip()
        if REFERENCE_START.match(query):
            return self.filter(reference__startswith=query)
        digits = re.sub(r"\D", "", query)
        if len(digits) >= 4 and len(digits) >= len(query.replace(" ", "")) - 1:
            # National numbers start with 0, stored ones with +84.
            national = digits[1:] if digits.startswith("0") else digits.removeprefix("84")
            return self.filter(caller_phone__contains=national)
        return self.filter(caller_name__icontains=query)

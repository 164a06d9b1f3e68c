"""URL path converters: a malformed reference is a 404 before any query runs."""

# A ticket's reference, e.g. 2611-00042: the month (YYMM) and its ticket number. The
# one definition, for URLs, forms and searches.
TICKET_REFERENCE = r"\d{4}-\d{5,7}"
# The start of one, as an agent types it in a search box.
TICKET_REFERENCE_START = r"\d{4}-\d*"


class TicketReferenceConverter:
    regex = TICKET_REFERENCE

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class ApplicationNumberConverter:
    regex = r"[0-9A-Za-z]{1,20}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value

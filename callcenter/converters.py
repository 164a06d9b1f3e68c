"""URL path converters: a malformed reference is a 404 before any query runs."""


class TicketReferenceConverter:
    regex = r"\d{4}-\d{5,7}"

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

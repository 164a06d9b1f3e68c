"""JSON in and out of the API that bad input cannot turn into a 500.

A body nested a thousand levels deep made the parser (and anything walking the data)
raise RecursionError; a lone surrogate (`"\\ud800"`) in a string survived parsing and
made the database, the lockout look-up or the rendering of the 400 that echoed it fail.
Both are a 400 now, and the renderer escapes what it cannot encode.
"""

import json

from django.utils.translation import gettext as _
from rest_framework import parsers, renderers
from rest_framework.exceptions import ParseError

MAX_DEPTH = 32


def _problem(data) -> str | None:
    """What is wrong with parsed JSON, walked without recursion; None when nothing is."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            return _("The JSON body is nested too deeply.")
        if isinstance(value, str):
            items = [value]
        elif isinstance(value, dict):
            items = list(value.keys()) + list(value.values())
        elif isinstance(value, list):
            items = value
        else:
            continue
        for item in items:
            if isinstance(item, str):
                if not _encodable(item):
                    return _("The JSON body holds text that is not valid Unicode.")
            elif isinstance(item, dict | list):
                stack.append((item, depth + 1))
    return None


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(_("The JSON body is nested too deeply.")) from exc
        problem = _problem(data)
        if problem:
            raise ParseError(problem)
        return data


class JSONRenderer(renderers.JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        try:
            return super().render(data, accepted_media_type, renderer_context)
        except UnicodeEncodeError:
            # Whatever slipped through is written as a \\uXXXX escape, valid JSON.
            return json.dumps(data, cls=self.encoder_class, ensure_ascii=True).encode()
        except RecursionError:
            return json.dumps({"detail": _("The answer could not be written.")}).encode()

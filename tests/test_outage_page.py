"""The error page of a failed request (callcenter.views.server_error): a bug stays a
500, while an unreachable, slow or full database is a 503 that says which, in the
user's language, with Retry-After (as JSON under /api/). The faults suite causes each
for real (tests/faults/test_slow_and_full_database.py); this pins the choice."""

import errno
import json
import sys

import psycopg
import pytest
from django.db import OperationalError
from django.test import RequestFactory
from django.utils import translation

from callcenter.views import server_error


def answer_while_handling(error, path="/api/v1/tickets/"):
    request = RequestFactory().get(path)
    try:
        raise error
    except Exception:
        assert sys.exc_info()[1] is error
        return server_error(request)


def database_error(cause):
    error = OperationalError(str(cause))
    error.__cause__ = cause
    return error


SLOW = database_error(psycopg.errors.QueryCanceled("canceling statement due to statement timeout"))
FULL = database_error(psycopg.errors.DiskFull("could not extend file: No space left on device"))
DOWN = database_error(psycopg.OperationalError("connection refused"))


@pytest.mark.parametrize(
    "error, words, retry_after",
    [
        (SLOW, "answering too slowly", "5"),
        (FULL, "storage is full", "60"),
        (OSError(errno.ENOSPC, "No space left on device"), "storage is full", "60"),
        (DOWN, "briefly unavailable", "5"),
    ],
)
def test_an_outage_is_a_503_that_says_which(error, words, retry_after):
    with translation.override("en"):
        response = answer_while_handling(error)
    assert response.status_code == 503
    assert response["Retry-After"] == retry_after
    assert words in json.loads(response.content)["detail"]


def test_the_page_says_it_in_vietnamese():
    with translation.override("vi"):
        response = answer_while_handling(SLOW, path="/tickets/new/")
    assert response.status_code == 503
    assert "text/html" in response["Content-Type"]
    body = response.content.decode()
    assert "quá chậm" in body and "Không có gì được lưu" in body


@pytest.mark.parametrize("error", [ValueError("a bug"), OSError(errno.EACCES, "denied")])
def test_a_bug_stays_a_500(error):
    assert answer_while_handling(error).status_code == 500

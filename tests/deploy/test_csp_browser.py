"""The policy in a real browser: no page of the product breaks a rule of it."""

import pytest

from callcenter.demo_users import DEMO_PASSWORD, demo_users_create
from tests.e2e.conftest import chromium, log_in, seat

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def browser():
    """This module's own Chromium, closed before tests/e2e starts its session one (two
    Playwright instances cannot run at once in one thread)."""
    with chromium() as browser:
        yield browser


@pytest.fixture
def page(browser):
    with seat(browser) as page:
        yield page


PAGES = {
    "agent1": ["/console/", "/tickets/", "/api/docs/"],
    "officer1": ["/queue/"],
    "supervisor1": ["/dashboard/", "/records/access-log/", "/reprints/", "/admin/"],
}


def violations_on(tab, url):
    messages = []
    tab.on("console", lambda message: messages.append(message.text))
    tab.goto(url)
    tab.wait_for_load_state("networkidle")
    return [text for text in messages if "Content Security Policy" in text]


@pytest.mark.parametrize("username", PAGES)
def test_pages_break_no_rule_of_the_policy(page, live_server, username):
    demo_users_create()
    log_in(page, live_server, username, DEMO_PASSWORD)
    page.wait_for_load_state("networkidle")

    for path in PAGES[username]:
        assert violations_on(page, live_server.url + path) == [], path


def test_swagger_ui_draws_the_api(page, live_server):
    demo_users_create()
    log_in(page, live_server, "agent1", DEMO_PASSWORD)
    page.wait_for_load_state("networkidle")

    page.goto(f"{live_server.url}/api/docs/")

    page.wait_for_selector(".opblock-tag", timeout=15_000)

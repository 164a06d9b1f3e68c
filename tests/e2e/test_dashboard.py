import csv
import io
import pathlib

import pytest
from django.contrib.auth import get_user_model

from callcenter.demo_users import DEMO_PASSWORD, demo_users_create
from tests.factories import escalated_ticket, ticket_for

from .conftest import log_in, to_english

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_supervisor_sees_charts_changes_the_range_and_downloads_csv(page, live_server, screenshot):
    demo_users_create()
    agent = get_user_model().objects.get(username="agent1")
    ticket_for(agent, resolve_now=True)
    escalated_ticket(agent)

    log_in(page, live_server, "supervisor1", DEMO_PASSWORD)
    page.wait_for_url("**/dashboard/")
    page.locator("body[data-charts-drawn=true]").wait_for()
    assert page.locator("#chart-days").bounding_box()["height"] > 100
    screenshot(page, "dashboard-vi")

    page.fill("#id_start", "2026-11-01")
    page.fill("#id_end", "2026-11-07")
    page.get_by_role("button", name="Hiển thị").click()
    page.wait_for_url("**start=2026-11-01**")
    page.locator("body[data-charts-drawn=true]").wait_for()
    assert page.locator("#days tbody tr").count() == 7

    with page.expect_download() as download:
        page.click("#daily-csv")
    text = pathlib.Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert [row[0] for row in rows[1:]] == [f"2026-11-0{d}" for d in range(1, 8)]

    to_english(page)
    page.locator("body[data-charts-drawn=true]").wait_for()
    screenshot(page, "dashboard-en")

"""The daily figures of self-service: look-ups found / not found / limited, callbacks
asked for — in the daily rows, the stats API and the CSV."""

import pytest
from django.utils import timezone

from callbacks.services import callback_requested
from reporting import stats

URL = "/api/v1/public/application-status/"
pytestmark = pytest.mark.django_db


def test_look_ups_and_callbacks_are_counted_per_day(public_api, delayed, ask, supervisor,
                                                    client_for):  # fmt: skip
    public_api.post(URL, ask(delayed), format="json")
    public_api.post(URL, ask(delayed, id_last4="0000"), format="json")
    for _ in range(5):
        public_api.post(URL, ask(delayed), format="json")  # the last two are refused
    callback_requested(phone="+84987654321", application=delayed)
    today = timezone.localdate()
    (row,) = stats.daily(today, today)
    assert (row["self_service_found"], row["self_service_not_found"]) == (4, 1)
    assert row["self_service_limited"] == 2 and row["self_service_callbacks"] == 1
    csv = client_for(supervisor).get(
        "/dashboard/daily.csv", {"start": today.isoformat(), "end": today.isoformat()}
    )
    header, line = csv.content.decode("utf-8-sig").splitlines()[:2]
    assert "Lượt tự tra cứu tìm thấy" in header
    cells = dict(zip(header.split(","), line.split(","), strict=True))
    assert cells["Lượt tự tra cứu tìm thấy"] == "4"
    assert cells["Yêu cầu gọi lại từ trang tự tra cứu"] == "1"

"""Server errors the API fuzz found, each pinned by a plain test of the input that caused it."""

import pytest

STATS = ["/api/v1/stats/daily/", "/api/v1/stats/agents/"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", STATS)
@pytest.mark.parametrize(
    "period, field",
    [
        # Day-by-day figures for the last days of the calendar overflowed Python's dates.
        ({"from": "9999-12-31", "to": "9999-12-31"}, "from"),
        ({"from": "1999-12-31", "to": "2000-01-01"}, "from"),
        ({"from": "2100-12-31", "to": "2101-01-01"}, "to"),
    ],
)
def test_statistics_outside_2000_to_2100_are_refused_naming_the_date(
    url, period, field, supervisor, api_client_for
):
    response = api_client_for(supervisor).get(url, period, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json()[field] == ["Enter a date between 2000-01-01 and 2100-12-31."]


@pytest.mark.django_db
@pytest.mark.parametrize("url", STATS)
def test_statistics_up_to_the_last_day_of_2100_are_answered(url, supervisor, api_client_for):
    response = api_client_for(supervisor).get(url, {"from": "2100-12-01", "to": "2100-12-31"})

    assert response.status_code == 200


@pytest.mark.django_db
def test_token_request_with_a_nul_in_the_username_is_a_400(api_client_for):
    response = api_client_for(None).post(
        "/api/v1/auth/token/", {"username": "agent\x00", "password": "x"}, format="json"
    )

    assert response.status_code == 400

"""Staff are named family name first on the pages, as Vietnamese names are written,
and by their username when no name is recorded (callcenter.people)."""

from callcenter.people import staff_name
from tests.factories import escalated_ticket
from tickets import services


def test_family_name_first_then_the_username_then_a_dash(agent):
    agent.first_name, agent.last_name = "Thị Lan", "Nguyễn"
    assert staff_name(agent) == "Nguyễn Thị Lan"
    agent.first_name = agent.last_name = ""
    assert staff_name(agent) == agent.username
    assert staff_name(None) == "—"


def test_the_ticket_page_names_who_logged_and_who_holds_it(agent, officer, client_for):
    agent.first_name, agent.last_name = "Thị Lan", "Nguyễn"
    agent.save()
    officer.first_name, officer.last_name = "Văn Hùng", "Trần"
    officer.save()
    ticket = services.ticket_claim(ticket=escalated_ticket(agent), actor=officer)

    page = client_for(officer).get(ticket.get_absolute_url()).content.decode()

    assert "Nguyễn Thị Lan" in page and "Trần Văn Hùng" in page
    assert "Thị Lan Nguyễn" not in page

def test_agent_can_log_a_ticket(agent, api_client_for):
    response = api_client_for(agent).post(
        "/api/v1/tickets/",
        {"caller_phone": "0912 345 678", "category": "other", "summary": "Hỏi giờ làm việc"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["caller_phone"] == "+84912345678"

import pytest


@pytest.fixture
def published_answers(db):
    from knowledge.seeding import seed_answers

    seed_answers()

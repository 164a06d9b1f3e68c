import pytest


@pytest.fixture
def published_answers(db):
    from knowledge.seeding import seed_answers
    from knowledge.services import forget_frequent

    seed_answers()
    forget_frequent()  # on commit, which a test's transaction never reaches

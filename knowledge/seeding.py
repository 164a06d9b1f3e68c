"""The answers the team wrote from the current law (data/answers.json), loaded as
published answers: by `seed_demo` and by `manage.py seed_answers`. An answer already
there (by slug) is left as a supervisor may have edited it."""

import json
from pathlib import Path

from .models import Answer
from .services import answer_create

DATA = Path(__file__).resolve().parent / "data" / "answers.json"


def seed_answers() -> int:
    """Create the shipped answers that do not exist yet; returns how many."""
    existing = set(Answer.objects.values_list("slug", flat=True))
    created = 0
    for entry in json.loads(DATA.read_text(encoding="utf-8")):
        if entry["slug"] in existing:
            continue
        answer_create(actor=None, status=Answer.Status.PUBLISHED, **entry)
        created += 1
    return created


def seed_demo_answers(*, days, stdout) -> None:
    stdout.write(f"answers: {seed_answers()} published")

"""The production database keeps PostgreSQL's durable defaults: the test servers may run
without fsync (the machine does not lose power in a test), the compose file never."""

from pathlib import Path

import yaml

COMPOSE = Path(__file__).resolve().parents[2] / "docker-compose.yml"
UNSAFE = ("fsync", "synchronous_commit", "full_page_writes")


def test_the_compose_database_keeps_fsync_and_synchronous_commit():
    db = yaml.safe_load(COMPOSE.read_text())["services"]["db"]
    settings = f"{db.get('command', '')} {db.get('environment', '')}"
    assert not [name for name in UNSAFE if name in settings], settings


def test_the_compose_redis_keeps_its_append_only_file():
    redis = yaml.safe_load(COMPOSE.read_text())["services"]["redis"]
    assert "--appendonly" in redis["command"] and "yes" in redis["command"]

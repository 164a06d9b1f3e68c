"""The demo users of SPEC §6, one per seat and role (password `hotline-demo`)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from .models import AgentProfile
from .roles import AGENT, OFFICER, PBX, PRINT_DESK, SUPERVISOR

DEMO_PASSWORD = "hotline-demo"

_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ"]
_GIVEN = ["Thị Lan", "Văn Hùng", "Minh Anh", "Thu Hà", "Quốc Bảo", "Ngọc Mai", "Đức Thắng",
          "Thanh Hương", "Hữu Phước", "Khánh Linh"]  # fmt: skip


def _demo_name(i: int) -> tuple[str, str]:
    """(given, family): a different pair for each of the first 100 indexes, so no two
    demo users share a name (on the wallboard and in the top bar they would look alike)."""
    given, tens = i % len(_GIVEN), i // len(_GIVEN)
    return _GIVEN[given], _FAMILY[(tens + given * 3) % len(_FAMILY)]


@transaction.atomic
def demo_users_create() -> None:
    """Create (or reset) every demo user with its role group and agent extension."""
    User = get_user_model()
    probe = User()
    probe.set_password(DEMO_PASSWORD)
    password_hash = probe.password
    groups = {g.name: g for g in Group.objects.all()}

    def user(username, role, index, **extra):
        first, last = _demo_name(index)
        obj, _ = User.objects.update_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "password": password_hash, **extra},
        )
        obj.groups.set([groups[role]])
        return obj

    for i in range(1, 21):
        agent = user(f"agent{i}", AGENT, i)
        AgentProfile.objects.update_or_create(user=agent, defaults={"extension": str(100 + i)})
        user(f"officer{i}", OFFICER, i + 20)
    user("supervisor1", SUPERVISOR, 41, is_staff=True)
    user("printdesk1", PRINT_DESK, 42)
    user("pbx", PBX, 43)

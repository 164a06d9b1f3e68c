from django.utils import timezone

from . import services
from .models import AgentStatus, Status


def status_of(agent) -> AgentStatus:
    """The agent's status now (offline when never set); a wrap-up that ran out is over."""
    services.expire_wrap_ups()
    row = AgentStatus.objects.filter(agent=agent).first()
    return row or AgentStatus(agent=agent, status=Status.OFFLINE, since=timezone.now())

"""Data for the fault suite's own database, run in a process pointed at it:
`python -m tests.faults.seed users | reprints N | sms N | printable N [PHONE_PREFIX]`."""

import itertools
import sys
import time

import django

django.setup()

from callcenter.demo_users import demo_users_create  # noqa: E402
from citizens.models import ApplicationStatus, CardApplication  # noqa: E402
from reprints import services as reprint_services  # noqa: E402
from reprints.models import Reason, ReprintItem, SmsMessage  # noqa: E402
from tests.citizens import factories  # noqa: E402
from tests.citizens.factories import application  # noqa: E402
from tests.factories import escalated_ticket  # noqa: E402
from tickets import services as ticket_services  # noqa: E402

# Application numbers new to the database, however many seeding runs came before.
factories._numbers = itertools.count(time.time_ns() // 1000 % 10**8)


def reprints(count: int) -> None:
    """`count` cards in printing, each with a pending reprint request."""
    cards = CardApplication.objects.bulk_create(
        application("Trần Thị Bình", status=ApplicationStatus.PRINTING, save=False)
        for _ in range(count)
    )
    items = ReprintItem.objects.bulk_create(
        ReprintItem(application=card, reason=Reason.SLOW_PRINTING) for card in cards
    )
    print(" ".join(str(item.pk) for item in items))


def sms(count: int) -> None:
    """`count` texts in the outbox, as marking reprints printed leaves them."""
    messages = SmsMessage.objects.bulk_create(
        SmsMessage(phone=f"+8491234{i:04d}", text="Thẻ CCCD đã được in lại", ticket_reference="")
        for i in range(count)
    )
    print(" ".join(str(message.pk) for message in messages))


def printable(count: int, prefix: str = "+8498765") -> None:
    """`count` tickets whose card waits for its reprint in a new batch: marking an item
    printed resolves its ticket and texts the caller (phone `prefix` + 4 digits). Prints
    the items' ids."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    agent, officer = users.get(username="agent1"), users.get(username="officer1")
    items = []
    for i in range(count):
        card = application("Lê Văn Cường", status=ApplicationStatus.PRINTING)
        ticket = escalated_ticket(agent, phone=f"{prefix}{i:04d}")
        ticket = ticket_services.ticket_claim(actor=officer, ticket=ticket)
        ticket = ticket_services.ticket_link_application(
            actor=officer, ticket=ticket, application_number=card.application_number
        )
        items.append(
            reprint_services.reprint_request(
                actor=officer, ticket=ticket, reason=Reason.SLOW_PRINTING
            )
        )
    reprint_services.batch_build()
    print(" ".join(str(item.pk) for item in items))


if __name__ == "__main__":
    what = sys.argv[1]
    if what == "users":
        demo_users_create()
    else:
        tasks = {"reprints": reprints, "sms": sms, "printable": printable}
        tasks[what](int(sys.argv[2]), *sys.argv[3:])

"""Card applications created directly: the one factory the tests build them with."""

import datetime
import itertools

from citizens.models import ApplicationStatus, CardApplication

_numbers = itertools.count(1)

# Step dates of a delivered application lodged on 2022-03-01 (a Tuesday).
DELIVERED_STEPS = {
    "approved_on": datetime.date(2022, 3, 3),
    "printing_on": datetime.date(2022, 3, 4),
    "printed_on": datetime.date(2022, 3, 7),
    "dispatched_on": datetime.date(2022, 3, 9),
    "delivered_on": datetime.date(2022, 3, 21),
}


def cccd_for(province: str, date_of_birth: datetime.date, sex: str, serial: int) -> str:
    """A structurally valid CCCD number agreeing with province, sex and birth year."""
    digit = (date_of_birth.year - 1900) // 100 * 2 + (sex == "F")
    return f"{province}{digit}{date_of_birth.year % 100:02d}{serial % 10**6:06d}"


def application(
    full_name: str = "Nguyễn Văn An",
    *,
    application_number: str = "",
    date_of_birth: datetime.date = datetime.date(1990, 5, 17),
    sex: str = "M",
    province: str = "001",
    status: str = ApplicationStatus.DELIVERED,
    lodged_on: datetime.date = datetime.date(2022, 3, 1),
    cccd_number: str = "",
    receiving_unit: str = "",
    step_days: int | None = None,
    save: bool = True,
    **fields,
) -> CardApplication:
    """One application, saved unless `save` is false (for `bulk_create`).

    Its number and CCCD number are new ones unless given; its step dates follow
    `status`: those of DELIVERED_STEPS moved to `lodged_on`, or, with `step_days`, each
    step that many days after the last. Any other field can be given in `fields`.
    """
    n = next(_numbers)
    app = CardApplication(
        application_number=application_number or f"2022{province}{n:09d}",
        date_of_birth=date_of_birth,
        sex=sex,
        cccd_number=cccd_number or cccd_for(province, date_of_birth, sex, 500_000 + n),
        province_code=province,
        receiving_unit=receiving_unit or f"PC06 Công an tỉnh {province}",
        lodged_on=lodged_on,
        status=status,
    )
    app.set_name(full_name)
    if status == ApplicationStatus.REJECTED:
        app.rejected_on = lodged_on + datetime.timedelta(days=5)
        app.rejection_reason = "fingerprint_unreadable"
    else:
        reached = {
            ApplicationStatus.RECEIVED: 0,
            ApplicationStatus.APPROVED: 1,
            ApplicationStatus.PRINTING: 2,
            ApplicationStatus.PRINTED: 3,
            ApplicationStatus.DISPATCHED: 4,
            ApplicationStatus.DELIVERED: 5,
        }[status]
        shift = lodged_on - datetime.date(2022, 3, 1)
        for i, (name, day) in enumerate(list(DELIVERED_STEPS.items())[:reached], start=1):
            if step_days:
                day = lodged_on + datetime.timedelta(days=step_days * i)
            else:
                day += shift
            setattr(app, name, day)
    for name, value in fields.items():
        setattr(app, name, value)
    if save:
        app.save()
    return app

"""Card applications created directly, for search and access-log tests."""

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
    date_of_birth: datetime.date = datetime.date(1990, 5, 17),
    sex: str = "M",
    province: str = "001",
    status: str = ApplicationStatus.DELIVERED,
    lodged_on: datetime.date = datetime.date(2022, 3, 1),
    cccd_number: str = "",
    **fields,
) -> CardApplication:
    """Save one application; its step dates follow `status` unless given."""
    n = next(_numbers)
    app = CardApplication(
        application_number=fields.pop("application_number", f"2022{province}{n:09d}"),
        date_of_birth=date_of_birth,
        sex=sex,
        cccd_number=cccd_number or cccd_for(province, date_of_birth, sex, 500_000 + n),
        province_code=province,
        receiving_unit=f"PC06 Công an tỉnh {province}",
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
        for name, day in list(DELIVERED_STEPS.items())[:reached]:
            setattr(app, name, day + shift)
    for name, value in fields.items():
        setattr(app, name, value)
    app.save()
    return app

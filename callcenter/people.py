"""How the product names a member of staff on its pages: family name first, as
Vietnamese names are written ("Nguyễn Thị Lan"; Django's get_full_name puts the given
name first); the username when no name is recorded."""


def staff_name(user) -> str:
    if user is None:
        return "—"
    return f"{user.last_name} {user.first_name}".strip() or user.username

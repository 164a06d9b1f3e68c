"""Roles are Django groups; what each may do is a set of model permissions.

The groups and their permissions are (re)built after every migrate by
`sync_role_groups`, so a deployment never drifts from this table.
"""

from django.contrib.auth.models import Group, Permission

AGENT = "agent"
OFFICER = "officer"
SUPERVISOR = "supervisor"
PRINT_DESK = "print_desk"
PBX = "pbx"

ROLES = (AGENT, OFFICER, SUPERVISOR, PRINT_DESK, PBX)
STAFF = (AGENT, OFFICER, SUPERVISOR)

# app_label.codename per role.
ROLE_PERMISSIONS = {
    AGENT: [
        "tickets.view_ticket",
        "tickets.add_ticket",
        "tickets.escalate_ticket",
        "tickets.resolve_ticket",
        "tickets.reopen_ticket",
        "tickets.add_ticketnote",
        "tickets.view_caller_history",
        "callbacks.view_callback",
        "callbacks.work_callback",
        "knowledge.view_answer",
        "presence.set_own_status",
    ],
    OFFICER: [
        "tickets.view_ticket",
        "tickets.claim_ticket",
        "citizens.search_records",
        "knowledge.view_answer",
        "citizens.view_full_identity",
        "citizens.view_quality_report",
        "reprints.request_reprint",
        "corrections.add_correctionrequest",
        "corrections.view_correctionrequest",
        "tickets.resolve_ticket",
        "tickets.add_ticketnote",
        "tickets.view_caller_history",
    ],
    SUPERVISOR: [
        "tickets.view_ticket",
        "citizens.view_full_identity",
        "citizens.view_recordaccess",
        "citizens.view_quality_report",
        "citizens.run_quality_report",
        "reprints.view_reprintbatch",
        "reprints.run_reprint_batch",
        "corrections.view_correctionrequest",
        "corrections.view_correctionlist",
        "corrections.run_correction_lists",
        "corrections.answer_correctionrequest",
        "callcenter.view_calendarday",
        "callcenter.add_calendarday",
        "callcenter.change_calendarday",
        "callcenter.delete_calendarday",
        "tickets.view_slatarget",
        "tickets.add_slatarget",
        "tickets.change_slatarget",
        "reprints.view_reprintpolicy",
        "reprints.change_reprintpolicy",
        "tickets.reopen_ticket",
        "tickets.add_ticketnote",
        "reporting.view_statistics",
        "callbacks.view_callback",
        "knowledge.view_answer",
        "knowledge.add_answer",
        "knowledge.change_answer",
        "callcenter.reset_two_factor",
        "callcenter.manage_users",
        "privacy.handle_subject_requests",
        "privacy.review_access",
    ],
    PRINT_DESK: ["reprints.view_reprintbatch", "reprints.mark_reprintitem"],
    PBX: ["tickets.report_call_events", "tickets.add_channel_ticket"],
}

# Where each role starts after logging in (URL names).
LANDING_PAGES = {
    AGENT: "tickets:console",
    OFFICER: "tickets:queue",
    SUPERVISOR: "reporting:dashboard",
    PRINT_DESK: "reprints:batches",
}


def user_roles(user) -> frozenset[str]:
    """The user's role names, cached on the user object for the request."""
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_role_names"):
        names = user.groups.filter(name__in=ROLES).values_list("name", flat=True)
        user._role_names = frozenset(names)
    return user._role_names


def has_role(user, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles))


def landing_page(user) -> str | None:
    for role in (AGENT, OFFICER, SUPERVISOR, PRINT_DESK):
        if role in user_roles(user):
            return LANDING_PAGES[role]
    return None


def sync_role_groups() -> None:
    """Create the role groups and give each exactly its permissions."""
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(wanted)

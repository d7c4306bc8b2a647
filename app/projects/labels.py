"""Labels of the leave statuses as the project pages show them (the missions of a project). Where the wording is
the leave domain's own ("Waiting for the BRI", "On mission"), the message and its French are shared."""

from flask_babel import lazy_gettext as _l

MISSION_STATUS_LABELS = {
    "draft": _l("Being drafted"),
    "submitted": _l("Waiting for the manager"),
    "changes_requested": _l("Sent back for changes"),
    "manager_approved": _l("Waiting for the BRI"),
    "approved": _l("Approved by the BRI"),
    "in_mission": _l("On mission"),
    "report_due": _l("Back, report expected"),
    "report_submitted": _l("Report under review"),
    "closed": _l("Mission completed"),
    "rejected": _l("Request refused"),
    "withdrawn": _l("Withdrawn by the employee"),
    "cancelled": _l("Cancelled by the BRI"),
}


def mission_status_label(status: str) -> str:
    return str(MISSION_STATUS_LABELS.get(status, status))

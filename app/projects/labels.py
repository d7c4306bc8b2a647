"""Labels of the leave statuses as the project pages show them (the missions of a project)."""

from flask_babel import lazy_gettext as _l

MISSION_STATUS_LABELS = {
    "draft": _l("Draft"),
    "submitted": _l("Submitted to the manager"),
    "changes_requested": _l("Changes requested"),
    "manager_approved": _l("Approved by the manager"),
    "approved": _l("Approved"),
    "in_mission": _l("In mission"),
    "report_due": _l("Report due"),
    "report_submitted": _l("Report submitted"),
    "closed": _l("Closed"),
    "rejected": _l("Rejected"),
    "withdrawn": _l("Withdrawn"),
    "cancelled": _l("Cancelled"),
}


def mission_status_label(status: str) -> str:
    return str(MISSION_STATUS_LABELS.get(status, status))

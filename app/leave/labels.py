"""Translated labels of the workflow: statuses, actions, next steps, badge styles.

The badge always shows the status's text: its colour only repeats what the text says.
"""

from flask_babel import lazy_gettext as _l

STATUS_LABELS = {
    "draft": _l("Draft"),
    "submitted": _l("Waiting for the manager"),
    "changes_requested": _l("Changes requested"),
    "manager_approved": _l("Waiting for the BRI"),
    "approved": _l("Approved"),
    "in_mission": _l("On mission"),
    "report_due": _l("Report due"),
    "report_submitted": _l("Report submitted"),
    "closed": _l("Closed"),
    "rejected": _l("Rejected"),
    "withdrawn": _l("Withdrawn"),
    "cancelled": _l("Cancelled"),
}

ACTION_LABELS = {
    "submit": _l("Submitted"),
    "withdraw": _l("Withdrawn"),
    "manager_request_changes": _l("Changes requested by the manager"),
    "manager_approve": _l("Approved by the manager"),
    "manager_reject": _l("Rejected by the manager"),
    "bri_request_changes": _l("Changes requested by the BRI"),
    "bri_approve": _l("Approved by the BRI"),
    "bri_reject": _l("Rejected by the BRI"),
    "cancel": _l("Cancelled by the BRI"),
    "start_mission": _l("Mission started"),
    "end_mission": _l("Mission ended, report due"),
    "submit_report": _l("Mission report submitted"),
    "return_report": _l("Mission report returned for revision"),
    "accept_report": _l("Mission report accepted"),
}

NEXT_STEPS = {
    "draft": _l("Complete the request and submit it."),
    "submitted": _l("Your manager decides."),
    "changes_requested": _l("Edit the request as asked and submit it again."),
    "manager_approved": _l("The BRI decides."),
    "approved": _l("Get ready: the mission starts on its first day."),
    "in_mission": _l("Have a good mission."),
    "report_due": _l("Write the mission report."),
    "report_submitted": _l("The BRI reviews the report."),
    "closed": _l("Nothing: the mission is over."),
    "rejected": _l("Nothing: the request was refused."),
    "withdrawn": _l("Nothing: the request was withdrawn."),
    "cancelled": _l("Nothing: the mission was cancelled."),
}

BADGE_CLASSES = {
    "draft": "text-bg-secondary",
    "submitted": "text-bg-info",
    "changes_requested": "text-bg-warning",
    "manager_approved": "text-bg-info",
    "approved": "text-bg-success",
    "in_mission": "text-bg-primary",
    "report_due": "text-bg-warning",
    "report_submitted": "text-bg-info",
    "closed": "text-bg-dark",
    "rejected": "text-bg-danger",
    "withdrawn": "text-bg-light border",
    "cancelled": "text-bg-danger",
}


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))

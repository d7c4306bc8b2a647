"""The words of the workflow, in one place: for each status its label, badge, next step, and how the mission
report's pages and the project pages name it; for each action its wording in the history.

Every template and every domain reads them from here (``workflow_words`` in templates, the macros of
``templates/_macros/workflow.html``). The badge always shows the status's text: its colour only repeats it.
"""

from dataclasses import dataclass

from app.core.i18n import lazy_gettext as _l
from app.leave.workflow import ACTIONS, STATUSES


@dataclass(frozen=True)
class StatusWords:
    label: object
    badge: str
    next_step: object
    # How the mission report's pages name the status (only the statuses a report lives in).
    report_state: object = None
    # How a project's list of missions names it.
    mission_label: object = None
    # The next step told to a reader who is neither the applicant nor the one deciding now (the manager who waits
    # for the applicant, the BRI); None: the applicant's wording says it for everyone.
    next_step_others: object = None


STATUS_WORDS: dict[str, StatusWords] = {
    "draft": StatusWords(
        _l("Draft"),
        "text-bg-secondary",
        _l("Complete the request and submit it."),
        mission_label=_l("Being drafted"),
        next_step_others=_l("The applicant completes the request and submits it."),
    ),
    "submitted": StatusWords(
        _l("Waiting for the manager"),
        "text-bg-info",
        _l("Your manager decides."),
        next_step_others=_l("The applicant's manager decides."),
    ),
    "changes_requested": StatusWords(
        _l("Changes requested"),
        "text-bg-warning",
        _l("Edit the request as asked and submit it again."),
        mission_label=_l("Sent back for changes"),
        next_step_others=_l("The applicant edits the request as asked and submits it again."),
    ),
    "manager_approved": StatusWords(_l("Waiting for the BRI"), "text-bg-info", _l("The BRI decides.")),
    "approved": StatusWords(
        _l("Approved"),
        "text-bg-success",
        _l("Get ready: the mission starts on its first day."),
        mission_label=_l("Approved by the BRI"),
        next_step_others=_l("The mission starts on its first day."),
    ),
    "in_mission": StatusWords(
        _l("On mission"),
        "text-bg-primary",
        _l("Have a good mission."),
        next_step_others=_l("The mission is under way; it ends on its last day."),
    ),
    "report_due": StatusWords(
        _l("Report due"),
        "text-bg-warning",
        _l("Write the mission report."),
        report_state=_l("Report due"),
        mission_label=_l("Back, report expected"),
        next_step_others=_l("The applicant writes the mission report."),
    ),
    "report_submitted": StatusWords(
        _l("Report submitted"),
        "text-bg-info",
        _l("The BRI reviews the report."),
        report_state=_l("Report under review by the BRI"),
        mission_label=_l("Report under review"),
    ),
    "closed": StatusWords(
        _l("Closed"),
        "text-bg-dark",
        _l("Nothing: the mission is over."),
        report_state=_l("Mission closed: report accepted"),
        mission_label=_l("Mission completed"),
    ),
    "rejected": StatusWords(
        _l("Rejected"), "text-bg-danger", _l("Nothing: the request was refused."), mission_label=_l("Request refused")
    ),
    "withdrawn": StatusWords(
        _l("Withdrawn"),
        "text-bg-light border",
        _l("Nothing: the request was withdrawn."),
        mission_label=_l("Withdrawn by the employee"),
    ),
    "cancelled": StatusWords(_l("Cancelled"), "text-bg-danger", _l("Nothing: the mission was cancelled.")),
}

ACTION_WORDS: dict[str, object] = {
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
    "add_attachment": _l("File added after the submission"),
    "request_partner_confirmation": _l("Confirmation asked from the host partner"),
    "partner_confirm": _l("Mission confirmed by the host partner"),
    "partner_decline": _l("Mission declined by the host partner"),
    "record_partner_confirmation": _l("Host partner's confirmation recorded by the BRI"),
    "record_checklist_exception": _l("Departure allowed by the BRI despite an incomplete checklist"),
}

assert set(STATUS_WORDS) == set(STATUSES) and set(ACTION_WORDS) == set(ACTIONS), "a status or action without words"


# The next step told to the one who decides now (the manager or their delegate, a BRI officer).
DECIDER_NEXT_STEP = _l("Your decision: approve, ask for changes or reject.")

# Who reads a request, for the words of its next step.
APPLICANT, DECIDER, OTHER = "applicant", "decider", "other"


def next_step(status: str, reader: str = APPLICANT) -> str:
    """The next step of a request in ``status`` as ``reader`` (APPLICANT, DECIDER or OTHER) should read it."""
    words = STATUS_WORDS.get(status)
    if words is None:
        return ""
    if reader == DECIDER:
        return str(DECIDER_NEXT_STEP)
    if reader == OTHER and words.next_step_others is not None:
        return str(words.next_step_others)
    return str(words.next_step)


def status_label(status: str) -> str:
    words = STATUS_WORDS.get(status)
    return str(words.label) if words else status


def mission_label(status: str) -> str:
    """The status as a project's list of missions says it."""
    words = STATUS_WORDS.get(status)
    return str(words.mission_label or words.label) if words else status


def report_state(status: str) -> str:
    """The status as the report pages say it; empty outside the report's life."""
    words = STATUS_WORDS.get(status)
    return str(words.report_state) if words and words.report_state else ""


def action_label(action: str) -> str:
    return str(ACTION_WORDS.get(action, action))

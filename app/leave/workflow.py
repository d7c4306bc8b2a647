"""The life of a leave request, exactly as ``DOMAIN.md`` states it.

A strict python-statemachine ``StateMachine``: an illegal event raises ``TransitionNotAllowed`` and a callback
error propagates. It imports neither Flask nor the database, so unit tests drive it alone. Bind it to a row for
one operation: ``LeaveRequestMachine(model=req, state_field="status")``.
"""

from statemachine import State, StateMachine
from statemachine.exceptions import TransitionNotAllowed


class LeaveRequestMachine(StateMachine):
    draft = State(initial=True, value="draft")
    submitted = State(value="submitted")
    changes_requested = State(value="changes_requested")
    manager_approved = State(value="manager_approved")
    approved = State(value="approved")
    in_mission = State(value="in_mission")
    report_due = State(value="report_due")
    report_submitted = State(value="report_submitted")
    closed = State(final=True, value="closed")
    rejected = State(final=True, value="rejected")
    withdrawn = State(final=True, value="withdrawn")
    cancelled = State(final=True, value="cancelled")

    submit = draft.to(submitted) | changes_requested.to(submitted)
    withdraw = (
        draft.to(withdrawn)
        | submitted.to(withdrawn)
        | changes_requested.to(withdrawn)
        | manager_approved.to(withdrawn)
        | approved.to(withdrawn)
    )
    manager_request_changes = submitted.to(changes_requested)
    manager_approve = submitted.to(manager_approved)
    manager_reject = submitted.to(rejected)
    bri_request_changes = manager_approved.to(changes_requested)
    bri_approve = manager_approved.to(approved)
    bri_reject = manager_approved.to(rejected)
    cancel = approved.to(cancelled) | in_mission.to(cancelled)
    start_mission = approved.to(in_mission)
    end_mission = in_mission.to(report_due)
    submit_report = report_due.to(report_submitted)
    return_report = report_submitted.to(report_due)
    accept_report = report_submitted.to(closed)
    # Not a move: a file the applicant adds after the submission, until the BRI's decision. It stays in the
    # request's one history (a Transition whose from and to are the same status) and tells the next decider.
    add_attachment = submitted.to.itself(internal=True) | manager_approved.to.itself(internal=True)
    # Not moves either: the host partner's confirmation of the mission, after the manager's approval and until the
    # mission starts. The BRI (or the application, when the manager approves) sends the partner's contact a signed
    # link; the contact confirms or declines through it; or the BRI records a confirmation received by other means.
    request_partner_confirmation = manager_approved.to.itself(internal=True) | approved.to.itself(internal=True)
    partner_confirm = manager_approved.to.itself(internal=True) | approved.to.itself(internal=True)
    partner_decline = manager_approved.to.itself(internal=True) | approved.to.itself(internal=True)
    record_partner_confirmation = manager_approved.to.itself(internal=True) | approved.to.itself(internal=True)
    # Not a move either: the BRI lets a mission whose pre-departure checklist is incomplete start all the same (the
    # daily job then starts it on its date). Only while the mission is approved and not yet started.
    record_checklist_exception = approved.to.itself(internal=True)


STATUSES: tuple[str, ...] = tuple(state.value for state in LeaveRequestMachine.states)
ACTIONS: tuple[str, ...] = tuple(event.id for event in LeaveRequestMachine.events)
# Every legal step as (from status, action, to status): the status subsets below are read from it. The steps
# that leave the status where it is are in STAYING_ACTIONS.
MOVES: tuple[tuple[str, str, str], ...] = tuple(
    (t.source.value, t.event, t.target.value) for state in LeaveRequestMachine.states for t in state.transitions
)


def _sources(*actions: str) -> frozenset[str]:
    return frozenset(source for source, action, _target in MOVES if action in actions)


def _targets(*actions: str) -> frozenset[str]:
    return frozenset(target for _source, action, target in MOVES if action in actions)


def _reachable(start: frozenset[str], avoiding: frozenset[str] = frozenset()) -> frozenset[str]:
    """``start`` and every status reached from it by actions not in ``avoiding``."""
    seen, todo = set(start), list(start)
    while todo:
        status = todo.pop()
        for target in (t for s, a, t in MOVES if s == status and a not in avoiding):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return frozenset(seen)


PARTNER_ACTIONS = frozenset(
    {"request_partner_confirmation", "partner_confirm", "partner_decline", "record_partner_confirmation"}
)
CHECKLIST_ACTIONS = frozenset({"record_checklist_exception"})
STAYING_ACTIONS = frozenset({"add_attachment"}) | PARTNER_ACTIONS | CHECKLIST_ACTIONS
INITIAL_STATUS: str = LeaveRequestMachine.initial_state.value
FINAL_STATUSES = frozenset(state.value for state in LeaveRequestMachine.states if state.final)
# Requests that hold a place in the calendar of the applicant (for the no-overlap rule).
ACTIVE_STATUSES = frozenset(STATUSES) - FINAL_STATUSES
MANAGER_ACTIONS = frozenset(action for action in ACTIONS if action.startswith("manager_"))
BRI_ACTIONS = frozenset(action for action in ACTIONS if action.startswith("bri_"))
# The applicant edits a request while they may (re)submit it.
EDITABLE_STATUSES = _sources("submit")
# Where the manager's decision, then the BRI's, is awaited.
MANAGER_DECISION_STATUSES = _sources(*MANAGER_ACTIONS)
BRI_DECISION_STATUSES = _sources(*BRI_ACTIONS)
# After the submission and until the BRI's decision, the applicant may still add files (recorded in the history).
ATTACHMENT_ADDED_IN = _sources("add_attachment")
# Where the host partner is asked to confirm the mission, answers, or the BRI records an answer received otherwise.
PARTNER_CONFIRMATION_STATUSES = _sources("request_partner_confirmation")
PARTNER_ANSWER_STATUSES = _sources("partner_confirm", "partner_decline")
# The pre-departure checklist is filled, and the BRI's exception to it recorded, while the mission waits to start.
CHECKLIST_STATUSES = _sources("record_checklist_exception")
# The daily job starts the missions in these statuses, and ends those in these.
MISSION_STARTS_FROM = _sources("start_mission")
MISSION_ENDS_FROM = _sources("end_mission")
# A withdrawn request the manager (and then the BRI) had already received: they are told.
WITHDRAWN_AFTER_MANAGER = _sources("withdraw") - EDITABLE_STATUSES
WITHDRAWN_AFTER_BRI = WITHDRAWN_AFTER_MANAGER - MANAGER_DECISION_STATUSES
# Requests that consume the cycle's budget and places: approved by the BRI, and not withdrawn or cancelled since.
COMMITTED_STATUSES = _reachable(_targets("bri_approve"), avoiding=frozenset({"withdraw", "cancel"}))
# The statuses a mission report lives in: from the end of the mission on.
REPORT_STATUSES = _reachable(_targets("end_mission"))
COMMENT_REQUIRED = frozenset(
    {
        "manager_request_changes",
        "manager_reject",
        "bri_request_changes",
        "bri_reject",
        "cancel",
        "return_report",
        "partner_decline",
        "record_partner_confirmation",
        "record_checklist_exception",
    }
)


def next_status(status: str, action: str) -> str:
    """The status ``action`` leads to from ``status``; raises ``TransitionNotAllowed`` when illegal."""

    class _Row:
        pass

    row = _Row()
    row.status = status
    LeaveRequestMachine(model=row, state_field="status").send(action)
    return row.status


def allowed_actions(status: str) -> set[str]:
    class _Row:
        pass

    row = _Row()
    row.status = status
    return {event.id for event in LeaveRequestMachine(model=row, state_field="status").allowed_events}


__all__ = [
    "ACTIONS",
    "ACTIVE_STATUSES",
    "ATTACHMENT_ADDED_IN",
    "BRI_ACTIONS",
    "BRI_DECISION_STATUSES",
    "CHECKLIST_ACTIONS",
    "CHECKLIST_STATUSES",
    "COMMENT_REQUIRED",
    "COMMITTED_STATUSES",
    "EDITABLE_STATUSES",
    "FINAL_STATUSES",
    "INITIAL_STATUS",
    "MANAGER_ACTIONS",
    "MANAGER_DECISION_STATUSES",
    "MISSION_ENDS_FROM",
    "MISSION_STARTS_FROM",
    "MOVES",
    "PARTNER_ACTIONS",
    "PARTNER_ANSWER_STATUSES",
    "PARTNER_CONFIRMATION_STATUSES",
    "REPORT_STATUSES",
    "STAYING_ACTIONS",
    "WITHDRAWN_AFTER_BRI",
    "WITHDRAWN_AFTER_MANAGER",
    "LeaveRequestMachine",
    "STATUSES",
    "TransitionNotAllowed",
    "allowed_actions",
    "next_status",
]

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


STATUSES: tuple[str, ...] = tuple(state.value for state in LeaveRequestMachine.states)
ACTIONS: tuple[str, ...] = tuple(event.id for event in LeaveRequestMachine.events)
FINAL_STATUSES = frozenset(state.value for state in LeaveRequestMachine.states if state.final)
# Requests that hold a place in the calendar of the applicant (for the no-overlap rule).
ACTIVE_STATUSES = frozenset(STATUSES) - FINAL_STATUSES
# Requests that consume the cycle's budget and places.
COMMITTED_STATUSES = frozenset({"approved", "in_mission", "report_due", "report_submitted", "closed"})
COMMENT_REQUIRED = frozenset(
    {"manager_request_changes", "manager_reject", "bri_request_changes", "bri_reject", "cancel", "return_report"}
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
    "COMMENT_REQUIRED",
    "COMMITTED_STATUSES",
    "FINAL_STATUSES",
    "LeaveRequestMachine",
    "STATUSES",
    "TransitionNotAllowed",
    "allowed_actions",
    "next_status",
]

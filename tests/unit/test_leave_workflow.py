"""The machine, for every (status × action) pair, against DOMAIN.md's table written out here by hand."""

import pytest

from app.leave.workflow import ACTIONS, STATUSES, TransitionNotAllowed, allowed_actions, next_status

# DOMAIN.md, "The life of a leave request": action -> {from: to}.
TABLE = {
    "submit": {"draft": "submitted", "changes_requested": "submitted"},
    "withdraw": {s: "withdrawn" for s in ("draft", "submitted", "changes_requested", "manager_approved", "approved")},
    "manager_request_changes": {"submitted": "changes_requested"},
    "manager_approve": {"submitted": "manager_approved"},
    "manager_reject": {"submitted": "rejected"},
    "bri_request_changes": {"manager_approved": "changes_requested"},
    "bri_approve": {"manager_approved": "approved"},
    "bri_reject": {"manager_approved": "rejected"},
    "cancel": {"approved": "cancelled", "in_mission": "cancelled"},
    "start_mission": {"approved": "in_mission"},
    "end_mission": {"in_mission": "report_due"},
    "submit_report": {"report_due": "report_submitted"},
    "return_report": {"report_submitted": "report_due"},
    "accept_report": {"report_submitted": "closed"},
    # Not in DOMAIN.md's table of moves: a file added after the submission, until the BRI's decision (issue 11).
    # The status stays; the step is recorded in the history like a move.
    "add_attachment": {"submitted": "submitted", "manager_approved": "manager_approved"},
    # Issue 13: the host partner's confirmation, from the manager's approval until the mission starts. Nothing moves.
    "request_partner_confirmation": {"manager_approved": "manager_approved", "approved": "approved"},
    "partner_confirm": {"manager_approved": "manager_approved", "approved": "approved"},
    "partner_decline": {"manager_approved": "manager_approved", "approved": "approved"},
    "record_partner_confirmation": {"manager_approved": "manager_approved", "approved": "approved"},
    # Issue 13: the BRI lets a mission whose pre-departure checklist is incomplete start; only while approved.
    "record_checklist_exception": {"approved": "approved"},
}


def test_the_machine_has_exactly_the_domain_states_and_actions():
    assert set(STATUSES) == {
        "draft",
        "submitted",
        "changes_requested",
        "manager_approved",
        "approved",
        "in_mission",
        "report_due",
        "report_submitted",
        "closed",
        "rejected",
        "withdrawn",
        "cancelled",
    }
    assert set(ACTIONS) == set(TABLE)


@pytest.mark.parametrize("action", sorted(TABLE))
@pytest.mark.parametrize("status", STATUSES)
def test_each_action_from_each_status_follows_the_domain_table(status, action):
    expected = TABLE[action].get(status)
    if expected is None:
        with pytest.raises(TransitionNotAllowed):
            next_status(status, action)
        assert action not in allowed_actions(status)
    else:
        assert next_status(status, action) == expected
        assert action in allowed_actions(status)


@pytest.mark.parametrize("status", ["closed", "rejected", "withdrawn", "cancelled"])
def test_final_statuses_allow_no_action(status):
    assert allowed_actions(status) == set()

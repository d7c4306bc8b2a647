"""Who writes, reads and reviews a mission report: a matrix of role × relationship × status (no database)."""

from types import SimpleNamespace

import pytest

from app.leave.workflow import STATUSES
from app.reports.permissions import can_read_report_text, can_review_report, can_view_report, can_write_report

APPLICANT_ID, MANAGER_ID = 1, 2


class FakeUser(SimpleNamespace):
    is_authenticated = True

    def has_role(self, role: str) -> bool:
        return role in self.roles


def person(who: str):
    """The user who acts, by their relationship to the request."""
    return {
        "applicant": FakeUser(id=APPLICANT_ID, roles={"employee"}),
        "applicant_bri": FakeUser(id=APPLICANT_ID, roles={"employee", "bri"}),
        "manager": FakeUser(id=MANAGER_ID, roles={"employee", "manager"}),
        "bri": FakeUser(id=3, roles={"employee", "bri"}),
        "other_manager": FakeUser(id=4, roles={"employee", "manager"}),
        "colleague": FakeUser(id=5, roles={"employee"}),
        "admin": FakeUser(id=6, roles={"employee", "admin"}),
        "anonymous": SimpleNamespace(id=None, is_authenticated=False, roles=set(), has_role=lambda role: False),
    }[who]


def request_in(status: str, submitted: bool = True):
    """A stand-in request in ``status``, without history on purpose: the report permissions are pure functions."""
    report = SimpleNamespace(submitted_at="2027-04-01" if submitted else None)
    return SimpleNamespace(
        applicant_id=APPLICANT_ID,
        applicant=SimpleNamespace(id=APPLICANT_ID, manager_id=MANAGER_ID),
        status=status,
        mission_report=report,
    )


PEOPLE = ["applicant", "applicant_bri", "manager", "bri", "other_manager", "colleague", "admin", "anonymous"]
REPORT_STATUSES = {"report_due", "report_submitted", "closed"}


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("who", PEOPLE)
def test_only_the_applicant_writes_and_only_while_the_report_is_due(who, status):
    expected = who in {"applicant", "applicant_bri"} and status == "report_due"
    assert can_write_report(person(who), request_in(status)) is expected


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("who", PEOPLE)
def test_the_applicant_their_manager_and_the_bri_read_the_report_and_nobody_else(who, status):
    expected = status in REPORT_STATUSES and who in {"applicant", "applicant_bri", "manager", "bri"}
    assert can_view_report(person(who), request_in(status)) is expected


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("who", PEOPLE)
def test_only_a_bri_officer_other_than_the_applicant_reviews_a_submitted_report(who, status):
    expected = who == "bri" and status == "report_submitted"
    assert can_review_report(person(who), request_in(status)) is expected


@pytest.mark.parametrize("who", ["manager", "bri"])
def test_a_draft_never_submitted_stays_private_to_the_applicant(who):
    req = request_in("report_due", submitted=False)
    assert can_view_report(person(who), req)
    assert not can_read_report_text(person(who), req)
    assert can_read_report_text(person("applicant"), req)

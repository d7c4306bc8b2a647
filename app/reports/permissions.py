"""Who may write, read and review a mission report.

Self-contained on purpose (no import of ``app.leave.permissions``): the rules are those of issue 4 and DOMAIN.md.
"""

from app.accounts.models import Role
from app.leave.models import LeaveRequest

# The statuses in which a request has a report (written, under review, accepted).
REPORT_STATUSES = frozenset({"report_due", "report_submitted", "closed"})


def _authenticated(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def is_applicant(user, req: LeaveRequest) -> bool:
    return _authenticated(user) and req.applicant_id == user.id


def is_manager_of_applicant(user, req: LeaveRequest) -> bool:
    """The applicant's direct manager: a manager reads their team's reports."""
    return _authenticated(user) and req.applicant is not None and req.applicant.manager_id == user.id


def can_write_report(user, req: LeaveRequest) -> bool:
    """Only the applicant, while the report is expected (``report_due``, also after a return for revision)."""
    return is_applicant(user, req) and req.status == "report_due"


def can_view_report(user, req: LeaveRequest) -> bool:
    """The applicant, their manager and the BRI; nobody else. Only once the mission has returned."""
    if not _authenticated(user) or req.status not in REPORT_STATUSES:
        return False
    return is_applicant(user, req) or is_manager_of_applicant(user, req) or user.has_role(Role.BRI)


def can_read_report_text(user, req: LeaveRequest) -> bool:
    """The text of a report never submitted is the applicant's draft: the others see it once it was submitted."""
    if not can_view_report(user, req):
        return False
    report = req.mission_report
    return is_applicant(user, req) or (report is not None and report.submitted_at is not None)


def can_review_report(user, req: LeaveRequest) -> bool:
    """A BRI officer who is not the applicant, while the report waits for the BRI."""
    return (
        _authenticated(user)
        and user.has_role(Role.BRI)
        and not is_applicant(user, req)
        and req.status == "report_submitted"
    )


def could_review_report(user, req: LeaveRequest) -> bool:
    """A BRI officer other than the applicant, whatever the status: a refusal is then a conflict (409), not a 403."""
    return _authenticated(user) and user.has_role(Role.BRI) and not is_applicant(user, req)

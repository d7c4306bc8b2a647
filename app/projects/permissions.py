"""Who may see and change cooperation projects.

BRI officers and administrators read and write everything. Every other logged-in employee reads the public part
of the active projects only (title, description, place, sector, dates, partners, milestones), without any money
figure, mission or history.
"""

from app.accounts.models import Role
from app.projects.models import Project, ProjectStatus

MANAGER_ROLES = (Role.BRI, Role.ADMIN)


def _authenticated(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def can_manage_projects(user) -> bool:
    """Create and edit projects, their lines, the missions linked to them, and the sectors."""
    return _authenticated(user) and any(user.has_role(role) for role in MANAGER_ROLES)


def can_see_money(user) -> bool:
    """Budgets, funding, expenditures, in-kind contribution; also the missions and the history."""
    return can_manage_projects(user)


def can_read_funder_report(user) -> bool:
    """A project's report to a funder: BRI officers only, like the annual report (not administrators, who manage
    the projects but do not report to the funders)."""
    return _authenticated(user) and user.has_role(Role.BRI)


def can_view_project(user, project: Project) -> bool:
    if not _authenticated(user):
        return False
    return can_manage_projects(user) or project.status == ProjectStatus.ACTIVE


def can_link_request(user, request, project: Project | None) -> bool:
    """The BRI links any mission afterwards; an applicant picks an active project for their own request."""
    if can_manage_projects(user):
        return True
    if not _authenticated(user) or request.applicant_id != user.id:
        return False
    return project is None or project.status == ProjectStatus.ACTIVE


def can_publish_project(user) -> bool:
    """Publish a project (its public page and its IATI activity) or withdraw it."""
    return can_manage_projects(user)


def can_read_activity_file(user, project: Project) -> bool:
    """The IATI file of a project holds its money figures: anyone once it is published, before that those who see
    the money (an employee reads an active project's page, but not its figures)."""
    return project.is_published or can_see_money(user)

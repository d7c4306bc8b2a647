"""Choosing a project or a mission (:mod:`app.core.pickers`).

- ``projects.projects``: a project by the start of its code or of a word of its title (a thousand projects: the
  title's words are matched in the table, which stays small). Those who manage projects find every project (the
  filters of the BRI's lists); the others the active ones and those already linked to one of their requests (the
  project field of the request form; the service says why a project cannot be chosen).
- ``projects.missions``: a leave request the BRI may link to a project, by the start of its reference or of its
  applicant's name or e-mail (100,000 requests: prefixes only, on indexed ``lower()`` columns).
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.core.i18n import current_language
from app.core.pickers import Choice, Picker, contains_word, folded, id_or_key, starts_with
from app.extensions import db
from app.leave.labels import mission_label
from app.leave.models import LeaveRequest
from app.projects.models import Project, ProjectStatus
from app.projects.permissions import can_manage_projects
from app.projects.queries import UNLINKABLE_STATUSES, project_label

PROJECT_HINT = _l("Type the start of the project's code or of a word of its title")
PROJECT_NOT_FOUND = _l("No project you may choose has this code: choose one of the proposed projects.")
MISSION_HINT = _l("Type the start of the reference (CS-2027-…) or of the applicant's name")
MISSION_NOT_FOUND = _l("No request has this reference: choose one of the proposed requests.")


def _logged_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


# Projects ------------------------------------------------------------------------------------------------------


def project_choice(project: Project) -> Choice:
    return Choice(project.id, project.code, project_label(project, current_language()))


def _projects_for(actor):
    query = select(Project)
    if not can_manage_projects(actor):
        own = select(LeaveRequest.project_id).where(LeaveRequest.applicant_id == actor.id)
        query = query.where(or_(Project.status == ProjectStatus.ACTIVE, Project.id.in_(own)))
    return query


def _search_projects(query: str, actor, limit: int) -> list[Choice]:
    found = db.session.scalars(
        _projects_for(actor)
        .where(
            or_(
                starts_with(Project.code, query),
                starts_with(Project.title_fr, query),
                contains_word(Project.title_fr, query),
                starts_with(Project.title_en, query),
                contains_word(Project.title_en, query),
            )
        )
        .order_by(Project.code)
        .limit(limit)
    )
    return [project_choice(p) for p in found]


def _lookup_project(text: str, actor) -> Choice | None:
    project_id, code = id_or_key(text)
    if not project_id and not code:
        return None
    condition = Project.id == project_id if project_id else folded(Project.code) == code
    project = db.session.scalar(_projects_for(actor).where(condition))
    return project_choice(project) if project is not None else None


def _describe_project(project_id: int) -> Choice | None:
    project = db.session.get(Project, project_id)
    return project_choice(project) if project is not None else None


PROJECTS = Picker(
    "projects.projects",
    _logged_in,
    _search_projects,
    _lookup_project,
    _describe_project,
    hint=PROJECT_HINT,
    not_found=PROJECT_NOT_FOUND,
)

# Missions ------------------------------------------------------------------------------------------------------


def mission_choice(req: LeaveRequest) -> Choice:
    """The reference, the applicant, the status and, for a mission linked to a project, that project: linking it
    elsewhere moves it, which the page asks to confirm."""
    label = f"{req.reference} – {req.applicant.full_name} – {mission_label(req.status)}"
    if req.project is not None:
        label += " – " + str(_l("project %(code)s", code=req.project.code))
    return Choice(req.id, req.reference, label)


_MISSION_OPTIONS = (joinedload(LeaveRequest.applicant), joinedload(LeaveRequest.project))


def _linkable():
    return select(LeaveRequest).where(LeaveRequest.status.not_in(UNLINKABLE_STATUSES))


def _search_missions(query: str, actor, limit: int) -> list[Choice]:
    by_reference = _linkable().where(starts_with(LeaveRequest.reference, query))
    people = select(User.id).where(or_(starts_with(User.full_name, query), starts_with(User.email, query)))
    by_applicant = _linkable().where(LeaveRequest.applicant_id.in_(people.limit(limit)))
    found: dict[int, LeaveRequest] = {}
    for candidates in (by_reference, by_applicant):
        rows = db.session.scalars(
            candidates.options(*_MISSION_OPTIONS).order_by(LeaveRequest.reference.desc()).limit(limit - len(found))
        )
        found.update((r.id, r) for r in rows)
        if len(found) >= limit:
            break
    return [mission_choice(r) for r in found.values()]


def _lookup_mission(text: str, actor) -> Choice | None:
    request_id, reference = id_or_key(text)
    if not request_id and not reference:
        return None
    # Any request, whatever its status: the service says why a finished one cannot be linked.
    condition = LeaveRequest.id == request_id if request_id else LeaveRequest.reference == reference.upper()
    req = db.session.scalar(select(LeaveRequest).where(condition).options(*_MISSION_OPTIONS))
    return mission_choice(req) if req is not None else None


def _describe_mission(request_id: int) -> Choice | None:
    req = db.session.get(LeaveRequest, request_id)
    return mission_choice(req) if req is not None else None


MISSIONS = Picker(
    "projects.missions",
    can_manage_projects,
    _search_missions,
    _lookup_mission,
    _describe_mission,
    hint=MISSION_HINT,
    not_found=MISSION_NOT_FOUND,
)

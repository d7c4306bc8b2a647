"""Reading a published project for its public page: the project and its partners (organisations), its funding by
source and its in-kind contribution as one total, its results framework (without who recorded an actual value) and
its published updates with their consented photos; nothing about people (no mission, no employee, no contact, no
history, no author). Six statements whatever the project holds; a photo of the page, one."""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from app.extensions import db
from app.projects.models import FundingLine, FundingSource, Project, ProjectPartner, ProjectPhoto, ProjectUpdate
from app.projects.queries import ZERO, MissionFigures, default_daily_rate, mission_figure_columns
from app.projects.result_figures import load_results
from app.projects.results import ProjectResult

# A project's code as the project form accepts it (letters, digits, hyphens; 30 at most): any other address is
# refused before the database is asked (a NUL byte would make PostgreSQL fail).
CODE = re.compile(r"[A-Za-z0-9-]{1,30}")


@dataclass
class PublicFigures:
    funded_by_source: list[tuple[str, Decimal]] = field(default_factory=list)  # (source label, amount)
    in_kind: Decimal = ZERO

    @property
    def funded(self) -> Decimal:
        return sum((amount for _label, amount in self.funded_by_source), ZERO)


def _published(code: str):
    return Project.code == code.upper(), Project.published_at.is_not(None)


def published_project(code: str) -> Project | None:
    """The published project of this code (its sector and partners loaded), or None; a malformed code is None."""
    if not CODE.fullmatch(code or ""):
        return None
    query = (
        select(Project)
        .where(*_published(code))
        .options(joinedload(Project.sector), selectinload(Project.partners).joinedload(ProjectPartner.partner))
    )
    return db.session.scalars(query).one_or_none()


def public_figures(project: Project) -> PublicFigures:
    """Funding per source (in the order of the sources) and the in-kind total (two statements)."""
    sums = (
        select(FundingLine.source, func.sum(FundingLine.amount))
        .where(FundingLine.project_id == project.id)
        .group_by(FundingLine.source)
    )
    by_source = {source: Decimal(amount or 0).quantize(Decimal("0.01")) for source, amount in db.session.execute(sums)}
    return PublicFigures(
        funded_by_source=[(s.label, by_source[s.value]) for s in FundingSource if s.value in by_source],
        in_kind=_in_kind(project),
    )


def _in_kind(project: Project) -> Decimal:
    figures = MissionFigures.of(*db.session.execute(select(*mission_figure_columns(project.id))).one())
    return figures.in_kind(default_daily_rate())


def public_results(project: Project) -> list[ProjectResult]:
    """The results framework as the project page reads it (one statement), without the people who recorded the
    actual values."""
    return load_results(project.id, recorders=False)


def published_photo(code: str, photo_id: int) -> ProjectPhoto | None:
    """A photo the public page shows (one statement): of a published update of the published project of this code,
    and whose people consented to its publication; None otherwise, or for a malformed code."""
    if not CODE.fullmatch(code or ""):
        return None
    query = (
        select(ProjectPhoto)
        .join(ProjectUpdate, ProjectUpdate.id == ProjectPhoto.update_id)
        .join(Project, Project.id == ProjectUpdate.project_id)
        .where(
            ProjectPhoto.id == photo_id,
            ProjectPhoto.consent_to_publish.is_(True),
            ProjectUpdate.published.is_(True),
            *_published(code),
        )
    )
    return db.session.scalars(query).one_or_none()

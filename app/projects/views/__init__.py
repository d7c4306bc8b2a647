"""The pages of the projects domain, by topic: the projects (list, page, form), the lines of a project, its
missions, the sectors, the exports, the funder's report, the publication (with the public page and the IATI files);
and what the domain adds to the pages of leave and reports (``extensions``)."""

from flask_login import current_user

from app.extensions import login_manager
from app.projects import bp
from app.projects.views import (  # noqa: F401 - their routes
    exports,
    funder,
    lines,
    missions,
    projects,
    proposals,
    publication,
    results,
    sectors,
    updates,
)


@bp.before_request
def _login_required():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None

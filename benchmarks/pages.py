"""Every list and detail page of the application, each as the user who reads it, over the data of
:mod:`benchmarks.generate` (used by the benchmark and by ``tests/integration/test_page_statements.py``).

A page's ``path`` is a format string over the fields of :class:`~benchmarks.generate.Viewers` or a function of them;
``viewer`` names the field whose e-mail logs in (password :data:`benchmarks.generate.PASSWORD`).
"""

from collections.abc import Callable
from dataclasses import dataclass

from benchmarks.generate import Viewers

PER_PAGE = 20


@dataclass(frozen=True)
class Page:
    name: str
    path: str | Callable[[Viewers], str]
    viewer: str  # "employee", "manager", "bri" or "admin"

    def url(self, viewers: Viewers) -> str:
        if callable(self.path):
            return self.path(viewers)
        return self.path.format(**vars(viewers))

    def email(self, viewers: Viewers) -> str:
        return getattr(viewers, self.viewer)


def deep_page(path: str, viewers: Viewers) -> str:
    """The address of a page far down a list (nine tenths of the requests before it). The one place that knows how
    a list addresses its next pages: ``?page=N`` today."""
    page = max(2, int(viewers.request_count * 0.9) // PER_PAGE)
    separator = "&" if "?" in path else "?"
    return f"{path}{separator}page={page}"


PAGES: list[Page] = [
    # The employee
    Page("home", "/", "employee"),
    Page("my requests", "/conges/", "employee"),
    Page("request detail", "/conges/{request_id}", "employee"),
    Page("new request form", "/conges/nouvelle", "employee"),
    Page("notifications", "/notifications", "employee"),
    # The manager
    Page("home, manager", "/", "manager"),
    Page("manager queue", "/conges/a-approuver", "manager"),
    Page("manager queue, sorted by start date", "/conges/a-approuver?sort=dates&dir=asc", "manager"),
    Page("delegations", "/conges/delegations", "manager"),
    Page("calendar, manager", "/calendrier", "manager"),
    # The BRI
    Page("home, BRI", "/", "bri"),
    Page("BRI queue", "/conges/bri/file", "bri"),
    Page("BRI queue, to review after an advisory change", "/conges/bri/file?liste=avis", "bri"),
    Page("BRI queue, departures not ready", "/conges/bri/file?liste=preparatifs", "bri"),
    Page("BRI all requests", "/conges/bri/demandes", "bri"),
    Page("BRI all requests, status filter", "/conges/bri/demandes?status=submitted", "bri"),
    Page("BRI all requests, department filter", "/conges/bri/demandes?department_id={department_id}", "bri"),
    Page("BRI all requests, word search", "/conges/bri/demandes?q={name_word}", "bri"),
    Page("BRI all requests, deep page", lambda v: deep_page("/conges/bri/demandes", v), "bri"),
    Page("BRI all requests, sorted by amount", "/conges/bri/demandes?sort=amount&dir=desc", "bri"),
    Page("BRI request view", "/conges/{bri_request_id}", "bri"),
    Page("calendar, BRI", "/calendrier", "bri"),
    Page("calendar, BRI, department filter", "/calendrier?department_id={department_id}", "bri"),
    Page("report review queue", "/rapports/a-examiner", "bri"),
    Page("report review page", "/rapports/{report_request_id}", "bri"),
    Page("mission archive", "/rapports/archive", "bri"),
    Page("mission archive, word search", "/rapports/archive?q={search_word}", "bri"),
    Page("mission archive, country filter", "/rapports/archive?country=HT", "bri"),
    Page("mission archive, sorted by reference", "/rapports/archive?sort=reference&dir=asc", "bri"),
    Page("projects list", "/projets/", "bri"),
    Page("project detail", "/projets/{project_id}", "bri"),
    Page("sectors", "/projets/secteurs", "bri"),
    Page("programme dashboard", "/bri/tableau-de-bord", "bri"),
    Page("programme dashboard, department filter", "/bri/tableau-de-bord?department={department_id}", "bri"),
    Page("annual report", "/bri/rapport-annuel", "bri"),
    # Reference data
    Page("cycles", "/referentiel/cycles", "bri"),
    Page("countries", "/referentiel/pays", "bri"),
    Page("country travel advisory", "/referentiel/pays/HT/avis", "bri"),
    Page("travel advisories history", "/referentiel/avis/historique", "bri"),
    Page("partners", "/referentiel/partenaires", "bri"),
    # Administration
    Page("admin users", "/admin/utilisateurs", "admin"),
    Page("admin users, search", "/admin/utilisateurs?q={name_word}", "admin"),
    Page("admin user edit", "/admin/utilisateurs/{employee_id}", "admin"),
    Page("departments", "/admin/services", "admin"),
]

"""The columns of the projects' exports (CSV and Excel, :mod:`app.core.exports`): the list, and one project's
funding lines and expenditures."""

from flask_babel import lazy_gettext as _l
from flask_babel import pgettext

from app.core.exports import DATE, MONEY, Column
from app.core.i18n import country_name, current_language
from app.projects.models import FundingLine, FundingSource, ProjectStatus

LIST_NAME = "projects.index"
FINANCES_NAME = "projects.finances"


def list_columns(with_money: bool) -> list[Column]:
    """The list's columns over rows of (project, funded, spent); the amounts for those who may see money."""
    lang = current_language()
    columns = [
        Column(_l("Code"), lambda r: r[0].code, width=16),
        Column(_l("Title"), lambda r: r[0].title(lang), width=40),
        Column(_l("Country"), lambda r: r[0].country_code, label=country_name),
        Column(_l("Locality"), lambda r: r[0].locality),
        Column(_l("Sector"), lambda r: r[0].sector.label(lang), width=30),
        Column(_l("Start date"), lambda r: r[0].start_date, DATE, width=12),
        Column(_l("End date"), lambda r: r[0].end_date, DATE, width=12),
    ]
    if with_money:
        columns += [
            Column(_l("Status"), lambda r: r[0].status, label=ProjectStatus.label_of),
            Column(_l("Budget"), lambda r: r[0].budget, MONEY, width=14),
            Column(_l("Funded"), lambda r: r[1] or 0, MONEY, width=14),
            Column(_l("Spent"), lambda r: r[2] or 0, MONEY, width=14),
        ]
    return columns


def _kind(row) -> str:
    if isinstance(row, FundingLine):
        return pgettext("project finances", "Funding")
    return pgettext("project finances", "Expenditure")


FINANCE_COLUMNS = (
    Column(_l("Kind"), _kind, width=14),
    Column(_l("Date"), lambda r: None if isinstance(r, FundingLine) else r.spent_on, DATE, width=12),
    Column(_l("Source"), lambda r: r.source, label=FundingSource.label_of, width=24),
    Column(_l("Amount"), lambda r: r.amount, MONEY, width=14),
    Column(_l("Description"), lambda r: r.note if isinstance(r, FundingLine) else r.description, width=50),
)

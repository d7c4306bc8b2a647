"""The columns of the mission archive in its exports (CSV and Excel, :mod:`app.core.exports`)."""

from flask_babel import lazy_gettext as _l

from app.core.exports import DATE, DATETIME, MONEY, NUMBER, Column
from app.core.i18n import country_name
from app.core.registry import registry_of

LIST_NAME = "reports.archive"  # the export log's name of the list

_COLUMNS = (
    Column(_l("Reference"), lambda r: r.reference, width=14),
    Column(_l("Employee"), lambda r: r.applicant.full_name, width=28),
    Column(_l("Department"), lambda r: r.applicant.department.name if r.applicant.department else "", width=28),
    Column(_l("Country"), lambda r: r.country_code, label=country_name),
    Column(_l("City"), lambda r: r.city),
    Column(_l("Partner"), lambda r: r.partner.name if r.partner else "", width=28),
    Column(_l("Cycle"), lambda r: r.cycle.year, NUMBER, width=8),
    Column(_l("Start date"), lambda r: r.start_date, DATE, width=12),
    Column(_l("End date"), lambda r: r.end_date, DATE, width=12),
    Column(_l("Working days"), lambda r: r.working_days, NUMBER, width=10),
    Column(_l("Amount asked"), lambda r: r.amount_requested, MONEY, width=14),
    Column(_l("Expertise shared"), lambda r: r.expertise, width=40),
    Column(_l("Report accepted on"), lambda r: r.mission_report.decided_at if r.mission_report else None, DATETIME),
)


def archive_columns() -> list[Column]:
    """The archive's columns, with those the domains above add (point ``reports.archive``)."""
    extra = [Column(ext.header, ext.value) for ext in registry_of().extensions("reports.archive") if ext.value]
    return [*_COLUMNS, *extra]

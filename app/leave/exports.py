"""The columns of the BRI's list of requests in its exports (CSV and Excel, :mod:`app.core.exports`)."""

from flask_babel import lazy_gettext as _l

from app.core.exports import DATE, DATETIME, MONEY, NUMBER, Column
from app.core.i18n import country_name
from app.core.registry import registry_of
from app.leave.labels import status_label

LIST_NAME = "leave.bri_requests"  # the export log's name of the list

_COLUMNS = (
    Column(_l("Reference"), lambda r: r.reference, width=14),
    Column(_l("Applicant"), lambda r: r.applicant.full_name, width=28),
    Column(_l("Department"), lambda r: r.applicant.department.name if r.applicant.department else "", width=28),
    Column(_l("Cycle"), lambda r: r.cycle.year, NUMBER, width=8),
    Column(_l("Country"), lambda r: r.country_code, label=country_name),
    Column(_l("City"), lambda r: r.city),
    Column(_l("Partner"), lambda r: r.partner.name if r.partner else "", width=28),
    Column(_l("Start date"), lambda r: r.start_date, DATE, width=12),
    Column(_l("End date"), lambda r: r.end_date, DATE, width=12),
    Column(_l("Working days"), lambda r: r.working_days, NUMBER, width=10),
    Column(_l("Total costs"), lambda r: r.total_cost, MONEY, width=14),
    Column(_l("Amount asked"), lambda r: r.amount_requested, MONEY, width=14),
    Column(_l("Status"), lambda r: r.status, label=status_label, width=22),
    Column(_l("Last change"), lambda r: r.status_changed_at, DATETIME, width=17),
)


def bri_list_columns() -> list[Column]:
    """The list's columns, with those the domains above add (point ``leave.bri_list``) after the status."""
    extra = [Column(ext.header, ext.value) for ext in registry_of().extensions("leave.bri_list") if ext.value]
    return [*_COLUMNS, *extra]

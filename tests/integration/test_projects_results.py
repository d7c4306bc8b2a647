"""The results framework of a project (IATI's results, indicators, periods): the BRI's pages that change it, the
actual value recorded with who and when and its history, the refusals (field errors, 403, 404, 409), the project
page's section with progress, lateness, charts and tables, and the result a mission served."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.core.database import montreal_today
from app.extensions import db as _db
from app.projects.models import ProjectChange
from app.projects.results import IndicatorPeriod, ProjectResult, ResultIndicator
from tests.factories import make_project, make_request, text, year_cycle

TODAY = montreal_today()


@pytest.fixture
def bri(client, login, make_user):
    user = make_user(roles=("employee", "bri"), full_name="Rodrigue Officier")
    login(user)
    return user


def _framework(project, measure="1", ascending=True, baseline="10", actual="42"):
    """A result with one indicator and two past periods: one with an actual value, one without (late)."""
    result = ProjectResult(project=project, type="1", title_fr="Brigades formées", title_en="Crews trained", position=1)
    indicator = ResultIndicator(
        result=result,
        title_fr="Agents de collecte formés",
        title_en="Collection workers trained",
        measure=measure,
        ascending=ascending,
        baseline_year=2025,
        baseline_value=Decimal(baseline) if baseline is not None else None,
        position=1,
    )
    done = IndicatorPeriod(
        indicator=indicator,
        period_start=TODAY - timedelta(days=200),
        period_end=TODAY - timedelta(days=101),
        target_value=Decimal("50"),
        actual_value=Decimal(actual),
        actual_recorded_at=datetime(2026, 6, 1, 12, tzinfo=UTC),
    )
    late = IndicatorPeriod(
        indicator=indicator,
        period_start=TODAY - timedelta(days=100),
        period_end=TODAY - timedelta(days=1),
        target_value=Decimal("90"),
    )
    _db.session.add_all([result, indicator, done, late])
    _db.session.commit()
    return result, indicator, done, late


def _count(model) -> int:
    _db.session.expire_all()
    return _db.session.scalar(select(func.count()).select_from(model))


def _changes(project_id) -> list[tuple[str, str]]:
    _db.session.expire_all()
    rows = _db.session.scalars(select(ProjectChange).where(ProjectChange.project_id == project_id))
    return [(c.action, c.field) for c in rows]


# The BRI builds the framework ------------------------------------------------------------------------------------


def test_the_project_page_says_there_is_no_result_yet_with_a_link_to_add_one(client, bri):
    project = make_project()
    page = text(client.get(f"/projets/{project.id}"))
    assert "Aucun résultat pour l'instant." in page
    assert f'href="/projets/{project.id}/resultats/nouveau"' in page


def test_bri_adds_a_result_an_indicator_with_its_baseline_and_a_period(client, bri):
    project = make_project()
    form = client.get(f"/projets/{project.id}/resultats/nouveau")
    assert form.status_code == 200 and "Nouveau résultat" in text(form)
    response = client.post(
        f"/projets/{project.id}/resultats/nouveau",
        data={"type": "2", "title_fr": "Les ménages trient leurs déchets", "title_en": ""},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"/projets/{project.id}#results"
    result = _db.session.scalar(select(ProjectResult))
    assert (result.project_id, result.type, result.position) == (project.id, "2", 1)

    response = client.post(
        f"/projets/{project.id}/resultats/{result.id}/indicateurs/nouveau",
        data={
            "title_fr": "Part des ménages desservis",
            "measure": "2",
            "baseline_year": "2025",
            "baseline_value": "12,5",
            "baseline_comment": "Enquête de 2025",
        },  # "ascending" not ticked: a lower value is better
    )
    assert response.status_code == 303
    indicator = _db.session.scalar(select(ResultIndicator))
    assert indicator.result_id == result.id and indicator.measure == "2" and indicator.ascending is False
    assert (indicator.baseline_year, indicator.baseline_value) == (2025, Decimal("12.50"))

    response = client.post(
        f"/projets/{project.id}/resultats/indicateurs/{indicator.id}/periodes/nouvelle",
        data={"period_start": "2026-01-01", "period_end": "2026-12-31", "target_value": "30"},
    )
    assert response.status_code == 303
    period = _db.session.scalar(select(IndicatorPeriod))
    assert (period.indicator_id, period.target_value, period.has_actual) == (indicator.id, Decimal("30.00"), False)
    assert _changes(project.id) == [("added", "result"), ("added", "indicator"), ("added", "period")]
    page = text(client.get(f"/projets/{project.id}"))
    assert "Effet" in page and "Les ménages trient leurs déchets" in page
    assert "Valeur de référence : 12,5 % (2025) — Enquête de 2025" in page
    assert "une valeur plus basse est meilleure" in page
    assert "Ajout — Période d'indicateur" in page


def test_bri_edits_then_deletes_a_result_and_the_history_says_so(client, bri):
    project = make_project()
    result, _indicator, _done, _late = _framework(project)
    form = client.get(f"/projets/{project.id}/resultats/{result.id}/modifier")
    assert 'value="Brigades formées"' in text(form)
    response = client.post(
        f"/projets/{project.id}/resultats/{result.id}/modifier",
        data={"type": "1", "title_fr": "Brigades formées et équipées", "version": str(result.version)},
    )
    assert response.status_code == 303
    _db.session.expire_all()
    assert _db.session.get(ProjectResult, result.id).title_fr == "Brigades formées et équipées"
    assert client.post(f"/projets/{project.id}/resultats/{result.id}/supprimer").status_code == 303
    assert (_count(ProjectResult), _count(ResultIndicator), _count(IndicatorPeriod)) == (0, 0, 0)
    assert _changes(project.id) == [("changed", "result"), ("removed", "result")]


def test_recording_an_actual_keeps_who_and_when_and_writes_the_history(client, bri):
    project = make_project()
    _result, indicator, _done, late = _framework(project)
    form = client.get(f"/projets/{project.id}/resultats/periodes/{late.id}/reel")
    assert form.status_code == 200 and "Agents de collecte formés" in text(form)
    response = client.post(
        f"/projets/{project.id}/resultats/periodes/{late.id}/reel",
        data={"actual_value": "1 234,5", "actual_comment": "Selon les feuilles de présence", "version": late.version},
    )
    assert response.status_code == 303
    _db.session.expire_all()
    period = _db.session.get(IndicatorPeriod, late.id)
    assert period.actual_value == Decimal("1234.50") and period.actual_comment == "Selon les feuilles de présence"
    assert period.actual_recorded_by_id == bri.id and period.actual_recorded_at is not None
    change = _db.session.scalars(select(ProjectChange).where(ProjectChange.project_id == project.id)).one()
    assert (change.action, change.field, change.actor_id) == ("recorded", "period", bri.id)
    assert "1234.50" in change.new_value
    page = text(client.get(f"/projets/{project.id}"))
    assert "Saisie par Rodrigue Officier le" in page
    assert "Saisie de la valeur réelle — Période d'indicateur" in page
    assert "En retard" not in page


# The project page: progress, lateness, chart and table -----------------------------------------------------------


def test_the_project_page_shows_progress_lateness_a_chart_and_its_table(client, bri):
    project = make_project()
    _framework(project, baseline="10", actual="42")  # (42 - 10) / (50 - 10): 80 %
    response = client.get(f"/projets/{project.id}")
    page = text(response)
    assert "80 % de la cible atteinte" in page
    assert "En retard : aucune valeur réelle saisie" in page
    body = response.get_data(as_text=True)
    chart = body[body.index('data-testid="indicator-chart"') :]
    assert chart.index("<svg") < chart.index("</svg>")
    assert 'role="img"' in chart and "Agents de collecte formés : cible et valeur réelle" in text(response)
    assert "<style" not in body and ' style="' not in body  # the Content-Security-Policy forbids inline styles
    table = page[page.index('data-testid="periods"') :]
    assert "Cible" in table and "Valeur réelle" in table and "Progression" in table
    assert "50" in table and "42" in table and "90" in table


def test_a_descending_indicator_measures_progress_downwards(client, bri):
    project = make_project()
    _framework(project, ascending=False, baseline="80", actual="65")  # (80 - 65) / (80 - 50): 50 %
    assert "50 % de la cible atteinte" in text(client.get(f"/projets/{project.id}"))


def test_an_employee_reads_the_results_of_an_active_project_without_the_buttons(client, login, make_user):
    project = make_project(status="active")
    _result, _indicator, done, _late = _framework(project)
    login(make_user())
    response = client.get(f"/projets/{project.id}")
    page = text(response)
    assert response.status_code == 200
    assert "Brigades formées" in page and "80 % de la cible atteinte" in page
    assert "/resultats/nouveau" not in page and f"/periodes/{done.id}/reel" not in page
    assert "Saisie par" not in page  # who recorded an actual value is not shown to employees
    planned = make_project(status="planned")
    _framework(planned)
    assert client.get(f"/projets/{planned.id}").status_code == 403  # the project's own rule: not public


def test_the_page_is_in_english_for_an_english_reader(client, login, make_user):
    project = make_project(status="active")
    _framework(project)
    login(make_user(language="en"))
    page = text(client.get(f"/projets/{project.id}"))
    assert "Crews trained" in page and "Output" in page and "Collection workers trained" in page
    assert "Late: no actual value recorded" in page and "80% of the target reached" in page


# Refusals --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("roles", [("employee",), ("employee", "manager")])
def test_only_the_bri_changes_the_results(client, login, make_user, roles):
    project = make_project(status="active")
    result, indicator, done, _late = _framework(project)
    login(make_user(roles=roles))
    base = f"/projets/{project.id}/resultats"
    for url in (f"{base}/nouveau", f"{base}/{result.id}/modifier", f"{base}/periodes/{done.id}/reel"):
        assert client.get(url).status_code == 403
    posts = {
        f"{base}/nouveau": {"type": "1", "title_fr": "Intrus"},
        f"{base}/{result.id}/supprimer": {},
        f"{base}/indicateurs/{indicator.id}/supprimer": {},
        f"{base}/indicateurs/{indicator.id}/periodes/nouvelle": {
            "period_start": "2030-01-01",
            "period_end": "2030-12-31",
        },
        f"{base}/periodes/{done.id}/reel": {"actual_value": "1"},
        f"{base}/periodes/{done.id}/supprimer": {},
    }
    for url, data in posts.items():
        assert client.post(url, data=data).status_code == 403, url
    assert (_count(ProjectResult), _count(ResultIndicator), _count(IndicatorPeriod)) == (1, 1, 2)
    _db.session.expire_all()
    assert _db.session.get(IndicatorPeriod, done.id).actual_value == Decimal("42.00")
    assert _changes(project.id) == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("NaN", "Entrez un nombre, par exemple 1234,5."),
        ("Infinity", "Entrez un nombre, par exemple 1234,5."),
        ("-inf", "Entrez un nombre, par exemple 1234,5."),
        ("1e309", "Entrez un nombre, par exemple 1234,5."),
        ("douze", "Entrez un nombre, par exemple 1234,5."),
        ("99999999999999999999", "Ce nombre est trop grand."),
        ("1.234", "Au plus 2 décimales."),
    ],
)
def test_a_bad_target_is_refused_next_to_the_field_and_nothing_changes(client, bri, value, message):
    project = make_project()
    _result, indicator, _done, _late = _framework(project)
    response = client.post(
        f"/projets/{project.id}/resultats/indicateurs/{indicator.id}/periodes/nouvelle",
        data={"period_start": "2030-01-01", "period_end": "2030-12-31", "target_value": value},
    )
    assert response.status_code == 422
    page = text(response)
    assert 'id="target_value-error"' in page and message in page
    assert _count(IndicatorPeriod) == 2 and _changes(project.id) == []


def test_reversed_dates_and_overlapping_periods_are_refused_next_to_the_field(client, bri):
    project = make_project()
    _result, indicator, done, _late = _framework(project)
    url = f"/projets/{project.id}/resultats/indicateurs/{indicator.id}/periodes/nouvelle"
    reversed_dates = client.post(url, data={"period_start": "2030-12-31", "period_end": "2030-01-01"})
    assert reversed_dates.status_code == 422
    assert 'id="period_end-error"' in text(reversed_dates)
    assert "La date de fin doit être égale ou postérieure à la date de début." in text(reversed_dates)
    start, end = (
        (done.period_start + timedelta(days=10)).isoformat(),
        (done.period_end + timedelta(days=10)).isoformat(),
    )
    overlapping = client.post(url, data={"period_start": start, "period_end": end})
    assert overlapping.status_code == 422
    assert "Cette période chevauche une autre période de l'indicateur." in text(overlapping)
    assert _count(IndicatorPeriod) == 2


def test_the_measure_rules_the_values_a_period_takes(client, bri):
    project = make_project()
    _result, indicator, _done, late = _framework(project, measure="5", baseline=None)
    _db.session.query(IndicatorPeriod).update({"target_value": None, "actual_value": None})
    _db.session.commit()
    url = f"/projets/{project.id}/resultats/periodes/{late.id}/reel"
    number = client.post(url, data={"actual_value": "3", "version": late.version})
    assert number.status_code == 422 and "Cet indicateur est qualitatif" in text(number)
    blank = client.post(url, data={"actual_value": "", "actual_comment": " ", "version": late.version})
    assert blank.status_code == 422 and 'id="actual_comment-error"' in text(blank)
    said = client.post(url, data={"actual_comment": "Plan adopté par le conseil", "version": late.version})
    assert said.status_code == 303
    other = make_project()
    _r, percent, _d, percent_late = _framework(other, measure="2")
    too_much = client.post(
        f"/projets/{other.id}/resultats/periodes/{percent_late.id}/reel",
        data={"actual_value": "120", "version": percent_late.version},
    )
    assert too_much.status_code == 422 and "Un pourcentage est compris entre 0 et 100." in text(too_much)


def test_texts_are_checked_title_required_length_bounded_and_no_control_characters(client, bri):
    project = make_project()
    url = f"/projets/{project.id}/resultats/nouveau"
    blank = client.post(url, data={"type": "1", "title_fr": "  "})
    assert blank.status_code == 422 and 'id="title_fr-error"' in text(blank)
    long = client.post(url, data={"type": "1", "title_fr": "x" * 251})
    assert long.status_code == 422 and 'id="title_fr-error"' in text(long)
    unknown = client.post(url, data={"type": "7", "title_fr": "Résultat"})
    assert unknown.status_code == 422 and 'id="type-error"' in text(unknown)
    nul = client.post(url, data={"type": "1", "title_fr": "Résultat\x00"})
    assert nul.status_code == 400
    assert _count(ProjectResult) == 0 and _changes(project.id) == []


def test_rows_of_another_project_or_missing_ones_are_not_found(client, bri):
    project, other = make_project(), make_project()
    result, indicator, done, _late = _framework(other)
    base = f"/projets/{project.id}/resultats"
    for url in (
        f"{base}/{result.id}/modifier",
        f"{base}/{result.id}/indicateurs/nouveau",
        f"{base}/indicateurs/{indicator.id}/modifier",
        f"{base}/indicateurs/{indicator.id}/periodes/nouvelle",
        f"{base}/periodes/{done.id}/modifier",
        f"{base}/periodes/{done.id}/reel",
        f"{base}/999999/modifier",
        f"{base}/periodes/999999/reel",
        "/projets/999999/resultats/nouveau",
    ):
        assert client.get(url).status_code == 404, url
    for url in (f"{base}/{result.id}/supprimer", f"{base}/indicateurs/{indicator.id}/supprimer"):
        assert client.post(url).status_code == 404, url
    assert client.get(f"{base}/{result.id}/supprimer").status_code == 405
    assert (_count(ProjectResult), _count(ResultIndicator), _count(IndicatorPeriod)) == (1, 1, 2)


def test_an_edit_from_a_stale_page_is_a_conflict_and_changes_nothing(client, bri):
    project = make_project()
    _result, indicator, _done, late = _framework(project)
    seen = late.version
    url = f"/projets/{project.id}/resultats/periodes/{late.id}/modifier"
    first = {"period_start": late.period_start.isoformat(), "period_end": late.period_end.isoformat()}
    assert client.post(url, data=first | {"target_value": "95", "version": seen}).status_code == 303
    stale = client.post(url, data=first | {"target_value": "70", "version": seen})
    assert stale.status_code == 409
    assert "Quelqu'un d'autre a modifié cette partie du cadre de résultats" in text(stale)
    _db.session.expire_all()
    assert _db.session.get(IndicatorPeriod, late.id).target_value == Decimal("95.00")
    edit = f"/projets/{project.id}/resultats/indicateurs/{indicator.id}/modifier"
    data = {"title_fr": "Agents", "measure": "1", "ascending": "y", "version": str(indicator.version + 5)}
    assert client.post(edit, data=data).status_code == 409
    assert _changes(project.id) == [("changed", "period")]


def test_the_forms_carry_the_version_in_a_bare_hidden_input_without_a_label(client, bri):
    project = make_project()
    result, indicator, _done, late = _framework(project)
    base = f"/projets/{project.id}/resultats"
    for url, version in (
        (f"{base}/nouveau", None),
        (f"{base}/{result.id}/modifier", result.version),
        (f"{base}/indicateurs/{indicator.id}/modifier", indicator.version),
        (f"{base}/periodes/{late.id}/modifier", late.version),
        (f"{base}/periodes/{late.id}/reel", late.version),
    ):
        page = text(client.get(url))
        assert 'for="version"' not in page and ">Version<" not in page, url
        value = "" if version is None else str(version)
        assert f'<input id="version" name="version" type="hidden" value="{value}">' in page, url
    for sent in ("x", "9" * 5000):
        refused = client.post(
            f"{base}/{result.id}/modifier", data={"type": "1", "title_fr": "Brigades", "version": sent}
        )
        assert refused.status_code == 409


# The result a mission served -------------------------------------------------------------------------------------


def test_the_bri_ties_a_mission_to_a_result_of_the_same_project_only(client, bri, make_user):
    project, other = make_project(), make_project()
    result, *_ = _framework(project)
    foreign, *_ = _framework(other)
    req = make_request(applicant=make_user(), cycle=year_cycle(), status="approved", days=10)
    wrong = client.post(
        f"/projets/{project.id}/missions", data={"link-request_id": req.id, "link-result_id": foreign.id}
    )
    assert wrong.status_code == 422
    assert "Choisissez un résultat de ce projet." in text(wrong) and 'id="link-result_id-error"' in text(wrong)
    _db.session.expire_all()
    assert _db.session.get(type(req), req.id).project_id is None
    right = client.post(
        f"/projets/{project.id}/missions", data={"link-request_id": req.id, "link-result_id": result.id}
    )
    assert right.status_code == 303
    _db.session.expire_all()
    linked = _db.session.get(type(req), req.id)
    assert (linked.project_id, linked.project_result_id) == (project.id, result.id)
    missions = text(client.get(f"/projets/{project.id}"))
    missions = missions[missions.index('data-testid="missions"') :]
    assert "Brigades formées" in missions[: missions.index("</table>")]
    assert ("changed", "mission_result") in _changes(project.id)
    # Deleting the result leaves the mission in the project, without a result.
    assert client.post(f"/projets/{project.id}/resultats/{result.id}/supprimer").status_code == 303
    _db.session.expire_all()
    linked = _db.session.get(type(req), req.id)
    assert (linked.project_id, linked.project_result_id) == (project.id, None)


def test_a_mission_leaving_the_project_loses_its_result(client, bri, make_user):
    project = make_project()
    result, *_ = _framework(project)
    req = make_request(applicant=make_user(), cycle=year_cycle(), status="approved", days=10)
    client.post(f"/projets/{project.id}/missions", data={"link-request_id": req.id, "link-result_id": result.id})
    assert client.post(f"/projets/{project.id}/missions/{req.id}/delier").status_code == 303
    _db.session.expire_all()
    unlinked = _db.session.get(type(req), req.id)
    assert (unlinked.project_id, unlinked.project_result_id) == (None, None)


# The cost of the page --------------------------------------------------------------------------------------------


def test_the_results_are_read_in_one_statement_whatever_their_number(client, bri, count_queries):
    project = make_project()
    url = f"/projets/{project.id}"
    client.get(url)
    with count_queries() as empty:
        assert client.get(url).status_code == 200
    _framework(project)
    client.get(url)
    with count_queries() as one:
        assert client.get(url).status_code == 200
    _framework(project)
    _framework(project)
    with count_queries() as three:
        assert client.get(url).status_code == 200
    assert len(empty) == len(one) == len(three) <= 8, "\n".join(three)


def test_an_indicators_chart_is_drawn_again_when_a_value_changes(app):
    from app.projects import result_figures

    with app.test_request_context("/"):
        series = (("Cible", (10.0, 20.0)), ("Valeur réelle", (5.0, None)))
        first = result_figures._bars(1, "Puits", ("janv. 2027", "juin 2027"), series, "fr", False)
        assert result_figures._bars(1, "Puits", ("janv. 2027", "juin 2027"), series, "fr", False) is first
        changed = (("Cible", (10.0, 20.0)), ("Valeur réelle", (5.0, 12.0)))
        again = result_figures._bars(1, "Puits", ("janv. 2027", "juin 2027"), changed, "fr", False)
        assert again is not first and again != first

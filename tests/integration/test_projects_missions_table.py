"""The missions table of a project page: each reference opens its request, and the dates read as everywhere else
(« 8 févr. 2027 », not 2027-02-08)."""

import re
from datetime import date

from tests.factories import make_project, make_request, text, year_cycle


def test_mission_references_are_links_and_dates_are_written_out(client, login, make_user):
    officer = make_user(roles=("employee", "bri"))
    login(officer)
    project = make_project(code="HT-EAU", start_date=date(2026, 1, 1), end_date=date(2028, 12, 31))
    mission = make_request(
        applicant=make_user(full_name="Amina Joseph"),
        cycle=year_cycle(2027),
        status="approved",
        start=date(2027, 2, 1),
        end=date(2027, 2, 8),
        project=project,
    )
    response = client.get(f"/projets/{project.id}")
    html = response.get_data(as_text=True)
    assert re.search(rf'<a href="/conges/{mission.id}">{mission.reference}</a>', html)
    page = text(response)
    assert "1er févr. 2027 – 8 févr. 2027" in page
    assert "2027-02-01" not in page and "2027-02-08" not in page

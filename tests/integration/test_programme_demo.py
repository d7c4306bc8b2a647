"""The demo data (every domain's loader, as ``flask demo-data`` runs them) fill the dashboard and the annual report."""

import io

from pypdf import PdfReader

from app.core.registry import registry_of
from app.extensions import db
from app.programme import report
from app.reference.queries import cycle_choices


def test_the_demo_fills_the_dashboard_and_the_annual_report(app, login):
    ctx = {"password": "demo-demo-2026", "accounts": []}
    for loader in registry_of().demo_loaders:
        loader.run(ctx)
    db.session.commit()
    bri = ctx["users"]["bri1"]
    client = login(bri, password="demo-demo-2026")
    body = client.get("/bri/tableau-de-bord").get_data(as_text=True)
    assert body.count('<svg role="img"') == 8
    assert 'data-testid="figure-in-kind">0,00' not in body
    next_cycle = client.get(f"/bri/tableau-de-bord?cycle={cycle_choices()[0][0]}").get_data(as_text=True)
    assert 'data-testid="waiting-manager"' in next_cycle and 'data-testid="waiting-bri"' in next_cycle
    year = report.default_year(cycle_choices())
    pdf = client.get(f"/bri/rapport-annuel/{year}.pdf")
    content = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "«" in content  # a testimony its author agreed to have quoted
    assert "Aucune mission cette année." not in content

"""Demo reports: added to the leave demo's requests, in every state; nothing without requests."""

from sqlalchemy import func, select

from app.reports import demo
from app.reports.models import MissionReport


def test_the_demo_adds_reports_in_every_state(db, world, make_mission):
    requests = {
        "report_due": [make_mission("report_due") for _ in range(3)],
        "report_submitted": [make_mission("report_submitted")],
        "closed": [make_mission("closed") for _ in range(2)],
    }
    for req in requests["report_submitted"] + requests["closed"]:
        db.session.delete(req.mission_report)  # the leave demo knows nothing of reports
    db.session.commit()
    demo.load({"requests": requests, "users": {"bri1": world.bri}})
    db.session.commit()

    draft, returned, untouched = requests["report_due"]
    assert draft.mission_report.submitted_at is None and draft.mission_report.activities
    assert returned.status == "report_due"
    assert returned.mission_report.decision == "returned" and returned.mission_report.bri_comment
    assert [t.action for t in returned.transitions][-2:] == ["submit_report", "return_report"]
    assert untouched.mission_report is None
    assert requests["report_submitted"][0].mission_report.submitted_at is not None
    assert all(r.mission_report.decision == "accepted" for r in requests["closed"])


def test_the_demo_does_nothing_without_requests(db):
    demo.load({"users": {}})
    assert db.session.scalar(select(func.count(MissionReport.id))) == 0

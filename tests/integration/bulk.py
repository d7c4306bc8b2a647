"""Many leave requests at once, written straight to the table (no workflow): the lists' sorting and the exports'
streaming need more rows than the services make in a test's time."""

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import insert

from app.core.database import utcnow
from app.extensions import db
from app.leave.models import LeaveRequest


def bulk_requests(world, count: int, status: str, applicants=None, prefix: str = "SRT", **fields) -> None:
    """``count`` requests in ``status`` of the ``applicants`` in turn (the world's applicant and colleague by
    default), references ``<prefix>-00001``...; start dates, amounts and changes with ties, so that the id breaks
    them."""
    applicants = applicants or [world.applicant, world.colleague]
    now = utcnow()
    rows = []
    for n in range(count):
        start = date(2027, 1, 4) + timedelta(days=(n * 7) % 23)
        rows.append(
            {
                "reference": f"{prefix}-{n:05d}",
                "applicant_id": applicants[n % len(applicants)].id,
                "cycle_id": world.cycle.id,
                "country_code": "HT",
                "city": "Jacmel",
                "start_date": start,
                "end_date": start + timedelta(days=10),
                "working_days": 8,
                "amount_requested": Decimal(1000 + (n * 37) % 11 * 100),
                "cost_transport": Decimal(3000),
                "status": status,
                "status_changed_at": now - timedelta(hours=(n * 5) % 17),
                **fields,
            }
        )
    db.session.execute(insert(LeaveRequest), rows)
    db.session.commit()

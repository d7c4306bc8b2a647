"""One mission report as a PDF file (WeasyPrint), in the reader's language.

WeasyPrint needs Pango and HarfBuzz and the fonts of ``scripts/system-deps.sh app`` (DejaVu, Liberation).
The document never fetches anything from the network: its stylesheet is read from the package.
"""

from pathlib import Path

from flask import Response, current_app, render_template

from app.core.database import montreal_today
from app.leave.models import LeaveRequest

STYLESHEET = Path(__file__).resolve().parents[1] / "static" / "reports-pdf.css"


def _refuse_fetch(url: str, *args, **kwargs):
    """No remote or local resource is loaded while the PDF is written (the text is the users')."""
    raise ValueError(f"resource not loaded in a report PDF: {url[:80]}")


def render_report_pdf(req: LeaveRequest) -> bytes:
    from weasyprint import CSS, HTML

    html = render_template(
        "reports/pdf.html",
        req=req,
        report=req.mission_report,
        files=[a for a in req.attachments if a.purpose == "report"],
        today=montreal_today(),
    )
    document = HTML(string=html, url_fetcher=_refuse_fetch, base_url=None)
    return document.write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))])


def report_pdf_response(req: LeaveRequest) -> Response:
    data = render_report_pdf(req)
    response = current_app.response_class(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="rapport-{req.reference}.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    return response

"""The PDFs WeasyPrint writes from a page of HTML: they fetch nothing (the texts are the users'; charts are inline
SVG), and their stylesheets are read from the package: ``app/static/pdf.css``, the look they share, then the
document's own, which adds to it or overrides it.
"""

from pathlib import Path

STATIC = Path(__file__).resolve().parents[1] / "static"
SHARED_STYLESHEET = STATIC / "pdf.css"


def write_pdf(html: str, stylesheet: Path, what: str) -> bytes:
    """The PDF of ``html`` styled by the shared stylesheet then ``stylesheet``; ``what`` names the document in the
    error of a resource it tried to load."""
    # Imported here: WeasyPrint loads Pango and its fonts at import, which only the PDF needs.
    from weasyprint import CSS, HTML

    def refuse_fetch(url: str, *args, **kwargs):
        """Nothing is loaded while the PDF is written (the texts are the users')."""
        raise ValueError(f"resource not loaded in {what}: {url[:80]}")

    document = HTML(string=html, url_fetcher=refuse_fetch, base_url=None)
    return document.write_pdf(stylesheets=[CSS(filename=str(SHARED_STYLESHEET)), CSS(filename=str(stylesheet))])

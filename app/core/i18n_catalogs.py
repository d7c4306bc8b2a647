"""Translation catalogs, one per domain (``app/translations/<domain>/fr/LC_MESSAGES/messages.po``).

Flask-Babel merges the catalogs of every directory listed in ``BABEL_TRANSLATION_DIRECTORIES``. One catalog per
domain keeps each domain's strings beside each other. Used by ``flask i18n`` and by the translation test.
"""

from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app"
TEMPLATES = ROOT / "templates"
TRANSLATIONS = APP / "translations"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None, "lazy_ngettext": (1, 2)}
JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "trimmed": "false"}

# Which files belong to which catalog. Templates are matched by their path under templates/.
DOMAIN_SOURCES = {
    "core": {
        "py": ["app/core", "app/__init__.py"],
        "templates": [
            "base.html",
            "_macros/",
            "errors/",
            "core/",
            "_partials/nav.html",
            "_partials/flashes.html",
            "_partials/language_switch.html",
            "_partials/nav_notifications",
            "notifications/",
            "emails/core/",
        ],
    },
    "accounts": {"py": ["app/accounts"], "templates": ["accounts/"]},
    "admin": {"py": ["app/admin"], "templates": ["admin/", "_partials/nav_admin.html"]},
    "reference": {
        "py": ["app/reference"],
        "templates": ["reference/", "_partials/nav_admin_reference", "_partials/nav_reference"],
    },
    "leave": {
        "py": ["app/leave"],
        "templates": [
            "leave/",
            "emails/leave/",
            "_partials/nav_leave",
            "_partials/nav_bri_leave",
            "_partials/home_leave",
        ],
    },
    "reports": {
        "py": ["app/reports"],
        "templates": ["reports/", "emails/reports/", "_partials/nav_bri_reports", "_partials/home_reports"],
    },
    "projects": {
        "py": ["app/projects"],
        "templates": ["projects/", "emails/projects/", "_partials/nav_projects", "_partials/home_projects"],
    },
}


def _files(domain: str) -> Iterator[tuple[Path, str]]:
    sources = DOMAIN_SOURCES[domain]
    for entry in sources["py"]:
        path = ROOT / entry
        paths = [path] if path.is_file() else sorted(path.rglob("*.py")) if path.exists() else []
        for file in paths:
            if "translations" not in file.parts:
                yield file, "python"
    for file in sorted(TEMPLATES.rglob("*")):
        if file.suffix not in {".html", ".txt"}:
            continue
        relative = file.relative_to(TEMPLATES).as_posix()
        if any(relative == p or relative.startswith(p) for p in sources["templates"]):
            yield file, "jinja2"


def extract(domain: str) -> Catalog:
    catalog = Catalog(project="conges-solidaires", locale=None, charset="utf-8")
    for file, method in _files(domain):
        options = JINJA_OPTIONS if method == "jinja2" else {}
        for lineno, message, comments, context in extract_from_file(
            method, str(file), keywords=KEYWORDS, options=options, strip_comment_tags=True
        ):
            catalog.add(
                message, None, [(file.relative_to(ROOT).as_posix(), lineno)], auto_comments=comments, context=context
            )
    return catalog


def po_path(domain: str, locale: str = "fr") -> Path:
    return TRANSLATIONS / domain / locale / "LC_MESSAGES" / "messages.po"


def read_catalog(domain: str, locale: str = "fr") -> Catalog:
    path = po_path(domain, locale)
    if not path.exists():
        return Catalog(locale=locale)
    with path.open("rb") as fh:
        return read_po(fh, locale=locale)


def update(domain: str, locale: str = "fr") -> Catalog:
    """Bring the domain's catalog in line with the sources, keeping existing translations."""
    template = extract(domain)
    catalog = read_catalog(domain, locale)
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    path = po_path(domain, locale)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        write_po(fh, catalog, width=120, omit_header=False, sort_output=False)
    return catalog


def compile_all(locale: str = "fr") -> list[Path]:
    written = []
    for domain in DOMAIN_SOURCES:
        path = po_path(domain, locale)
        if not path.exists():
            continue
        catalog = read_catalog(domain, locale)
        with path.with_suffix(".mo").open("wb") as fh:
            write_mo(fh, catalog, use_fuzzy=False)
        written.append(path.with_suffix(".mo"))
    return written


def untranslated(domain: str, locale: str = "fr") -> list[str]:
    """Messages of the sources that have no translation (or only a fuzzy one) in the catalog."""
    catalog = read_catalog(domain, locale)
    missing = []
    for message in extract(domain):
        if not message.id:
            continue
        existing = catalog.get(message.id, context=message.context)
        strings = existing.string if existing else None
        ok = all(strings) if isinstance(strings, (list, tuple)) else bool(strings)
        if existing is None or not ok or existing.fuzzy:
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing

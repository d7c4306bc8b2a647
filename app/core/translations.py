"""The translation catalog and the ``flask i18n`` commands, which drive pybabel's own frontend.

``babel.cfg`` (top of the repository) says where the messages are and which keywords mark them. They are extracted
into ``app/translations/messages.pot``, merged into the one French catalog
``app/translations/fr/LC_MESSAGES/messages.po`` and compiled to ``messages.mo`` (not committed):

    flask --app app i18n extract    # sources → messages.pot
    flask --app app i18n update     # extract, then bring the French catalog in line; prints what is left to translate
    flask --app app i18n compile    # .po → .mo (make translations)

``extract`` and ``untranslated`` do the same extraction through Babel's API, for the translation test.
"""

import contextlib
import fnmatch
import os
from pathlib import Path

import click
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import BaseError, CommandLineInterface, parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
MAPPING = ROOT / "babel.cfg"
TRANSLATIONS = ROOT / "app" / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"
LOCALE = "fr"
PROJECT = "conges-solidaires"
WIDTH = "120"
# Directories never searched. Babel's default would also skip the templates' _macros/ and _partials/.
IGNORE_DIRS = (".*", "__pycache__", "instance", "node_modules")


def po_path(locale: str = LOCALE) -> Path:
    return TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


def pybabel(*args: str, quiet: bool = False) -> int:
    """Run ``pybabel ARGS`` in the repository's top directory (so that locations read ``app/…``, ``templates/…``)."""
    argv = ["pybabel", *(["--quiet"] if quiet else []), *args]
    try:
        with contextlib.chdir(ROOT):
            return CommandLineInterface().run(argv) or 0
    except BaseError as exc:
        raise click.ClickException(str(exc)) from exc


def _extract_args(output: Path) -> list[str]:
    return [
        "extract",
        "--mapping-file",
        str(MAPPING.relative_to(ROOT)),
        "--ignore-dirs",
        " ".join(IGNORE_DIRS),
        "--output-file",
        str(output),
        "--project",
        PROJECT,
        "--width",
        WIDTH,
        ".",
    ]


def _directory_filter(path: str) -> bool:
    return not any(fnmatch.fnmatch(os.path.basename(path), pattern) for pattern in IGNORE_DIRS)


def extract(root: Path = ROOT) -> Catalog:
    """The messages of the sources under ``root``, found as ``flask i18n extract`` finds them (babel.cfg)."""
    with MAPPING.open() as fh:
        method_map, options_map = parse_mapping_cfg(fh, str(MAPPING))
    catalog = Catalog(project=PROJECT, locale=None, charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        root, method_map, options_map, keywords=DEFAULT_KEYWORDS, directory_filter=_directory_filter
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def read_catalog(locale: str = LOCALE) -> Catalog:
    path = po_path(locale)
    if not path.exists():
        return Catalog(locale=locale)
    with path.open("rb") as fh:
        return read_po(fh, locale=locale)


def _translated(message) -> bool:
    strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    return all(strings) and not message.fuzzy


def untranslated(root: Path = ROOT, locale: str = LOCALE) -> list[str]:
    """Messages of the sources that have no translation (or only a fuzzy one) in the catalog."""
    catalog = read_catalog(locale)
    missing = []
    for message in extract(root):
        if not message.id:
            continue
        existing = catalog.get(message.id, context=message.context)
        if existing is None or not _translated(existing):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


@click.group("i18n")
def i18n_cli() -> None:
    """Translations (pybabel): extract the messages, update and compile the French catalog."""


@i18n_cli.command("extract")
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), default=TEMPLATE, show_default="app/translations/messages.pot"
)
@click.option("-q", "--quiet", is_flag=True, help="Print only the errors.")
def i18n_extract(output: Path, quiet: bool) -> None:
    """Extract the messages of app/ and templates/ (babel.cfg) into the template catalog."""
    pybabel(*_extract_args(output.resolve()), quiet=quiet)


@i18n_cli.command("update")
@click.option("-q", "--quiet", is_flag=True, help="Print only the errors and what is left to translate.")
def i18n_update(quiet: bool) -> None:
    """Extract the messages, then update the catalogs from the template (translations kept, obsolete ones dropped)."""
    pybabel(*_extract_args(TEMPLATE), quiet=quiet)
    pybabel(
        "update",
        "--input-file",
        str(TEMPLATE),
        "--output-dir",
        str(TRANSLATIONS),
        "--no-fuzzy-matching",
        "--ignore-obsolete",
        "--ignore-pot-creation-date",
        "--width",
        WIDTH,
        quiet=quiet,
    )
    for path in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")):
        with path.open("rb") as fh:
            catalog = read_po(fh)
        missing = sum(1 for message in catalog if message.id and not _translated(message))
        click.echo(f"{path.relative_to(ROOT)}: {missing} message(s) untranslated")


@i18n_cli.command("compile")
@click.option("-q", "--quiet", is_flag=True, help="Print only the errors.")
def i18n_compile(quiet: bool) -> None:
    """Compile the catalogs (.po → .mo); fuzzy translations are left out."""
    if pybabel("compile", "--directory", str(TRANSLATIONS), quiet=quiet):
        raise SystemExit(1)

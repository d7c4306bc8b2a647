"""Command-line commands of the core: the e-mail outbox, the daily job, the translations.

The domains add their own commands through their blueprint's ``cli`` (``flask demo-data``, ``flask create-admin``...)
and their steps of the daily job through the registry.
"""

from datetime import date

import click
from flask import Flask

from app.core.database import montreal_today
from app.core.registry import registry_of
from app.core.uow import unit_of_work


def register_commands(app: Flask) -> None:
    app.cli.add_command(notifications_cli)
    app.cli.add_command(workflow_cli)
    app.cli.add_command(i18n_cli)


@click.group("notifications")
def notifications_cli() -> None:
    """The e-mail outbox."""


@notifications_cli.command("send")
@click.option("--limit", default=500, show_default=True)
def send_notifications(limit: int) -> None:
    """Send (or retry) the e-mails waiting in the outbox."""
    from app.core.notifications import send_outbox

    sent, failed = send_outbox(limit=limit)
    click.echo(f"{sent} e-mail(s) sent, {failed} failed (kept for the next run).")
    if failed:
        raise SystemExit(1)


@click.group("workflow")
def workflow_cli() -> None:
    """The daily job (run from cron)."""


@workflow_cli.command("tick")
@click.option(
    "--today",
    "today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The day to act for (default: today in Montréal).",
)
def tick(today) -> None:
    """Run every step of the daily job that the domains registered: start and end missions, send reminders...

    Each step is its own unit of work (a failing step leaves the others' work). Idempotent: running it twice the
    same day changes nothing more.
    """
    day: date = today.date() if today else montreal_today()
    for step in registry_of().tick_steps:
        with unit_of_work():
            summary = step.run(day)
        click.echo(f"{day.isoformat()} {step.name}: {summary}")


@click.group("i18n")
def i18n_cli() -> None:
    """Translation catalogs (French)."""


@i18n_cli.command("update")
@click.argument("domains", nargs=-1)
def i18n_update(domains: tuple[str, ...]) -> None:
    """Extract the messages of the sources into each domain's French catalog."""
    from app.core.i18n_catalogs import DOMAIN_SOURCES, untranslated, update

    for domain in domains or DOMAIN_SOURCES:
        update(domain)
        missing = untranslated(domain)
        click.echo(f"{domain}: {len(missing)} message(s) to translate")


@i18n_cli.command("compile")
def i18n_compile() -> None:
    """Compile the catalogs (.po → .mo)."""
    from app.core.i18n_catalogs import compile_all

    for path in compile_all():
        click.echo(f"compiled {path}")

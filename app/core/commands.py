"""Command-line commands of the core: the e-mail outbox, the daily job, the translations.

The domains add their own commands through their blueprint's ``cli`` (``flask demo-data``, ``flask create-admin``...)
and their steps of the daily job through the registry.
"""

from datetime import date

import click
from flask import Flask

from app.core import uploads
from app.core.database import montreal_today
from app.core.errors import Unavailable
from app.core.mail_worker import StopFlag, run_worker
from app.core.outbox import send_outbox
from app.core.registry import registry_of
from app.core.translations import i18n_cli
from app.core.uow import unit_of_work


def register_commands(app: Flask) -> None:
    app.cli.add_command(notifications_cli)
    app.cli.add_command(workflow_cli)
    app.cli.add_command(i18n_cli)
    app.cli.add_command(storage_cli)


@click.group("storage")
def storage_cli() -> None:
    """The store of attachments and documents."""


@storage_cli.command("check")
def check_storage() -> None:
    """Write, read back and delete a probe file in the configured store (run it on every new host)."""
    where = uploads.describe_store()
    try:
        uploads.check_store()
    except Unavailable as exc:
        click.echo(f"The file store ({where}) failed: {exc}", err=True)
        raise SystemExit(1) from None
    click.echo(f"File store ({where}): a file was written, read back and deleted.")


@click.group("notifications")
def notifications_cli() -> None:
    """The e-mail outbox."""


@notifications_cli.command("send")
@click.option("--limit", default=500, show_default=True)
def send_notifications(limit: int) -> None:
    """Send (or retry) the e-mails waiting in the outbox."""
    sent, failed = send_outbox(limit=limit)
    click.echo(f"{sent} e-mail(s) sent, {failed} failed (kept for the next run).")
    if failed:
        raise SystemExit(1)


@notifications_cli.command("worker")
@click.option("--batch-size", default=50, show_default=True, help="E-mails claimed and sent over one connection.")
@click.option("--poll", "poll_interval", default=2.0, show_default=True, help="Seconds between polls when idle.")
@click.option("--once", is_flag=True, help="Stop as soon as nothing is due.")
@click.option("--max-seconds", type=float, help="Stop after this many seconds.")
@click.option("--max-messages", type=int, help="Stop after this many e-mails (sent or failed).")
def notifications_worker(batch_size: int, poll_interval: float, once: bool, max_seconds, max_messages) -> None:
    """Send the outbox continuously (run one or more, on any hosts); SIGTERM stops it after the current e-mail."""
    stop = StopFlag()
    restore = stop.install()
    try:
        stats = run_worker(
            batch_size=batch_size,
            poll_interval=poll_interval,
            once=once,
            max_seconds=max_seconds,
            max_messages=max_messages,
            stop=stop,
        )
    finally:
        restore()
    click.echo(
        f"{stats.sent} e-mail(s) sent, {stats.failed} failed, {stats.batches} batch(es); stopped: {stats.stopped_by}."
    )


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

"""``flask workflow ...``: the date-driven steps of the leave workflow, run from cron."""

import importlib
from datetime import date

import click
from flask import Flask

from app.core.database import montreal_today
from app.core.notifications import commit_and_send

# The steps of the daily job, in order: "module:function", each called with the day and returning a summary line.
# A step commits its own work through the job (one unit of work per step), so a failing step leaves the others'.
TICK_STEPS = (
    "app.leave.scheduler:advance_missions",
    "app.reports.reminders:send_reminders",
)


@click.group("workflow")
def workflow_cli() -> None:
    """Date-driven steps of the leave workflow (run from cron)."""


@workflow_cli.command("tick")
@click.option(
    "--today",
    "today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The day to act for (default: today in Montréal).",
)
def tick(today) -> None:
    """Start the missions whose day has come, end those whose end date has passed, send the reminders.

    Idempotent: running it twice the same day changes nothing more.
    """
    day: date = today.date() if today else montreal_today()
    for step in TICK_STEPS:
        module_name, function_name = step.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        summary = getattr(module, function_name)(day)
        commit_and_send()
        click.echo(f"{day.isoformat()} {function_name}: {summary}")


def register(app: Flask) -> None:
    app.cli.add_command(workflow_cli)

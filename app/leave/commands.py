"""``flask workflow ...``: the date-driven steps of the leave workflow."""

import click
from flask import Flask


@click.group("workflow")
def workflow_cli() -> None:
    """Date-driven steps of the leave workflow (run from cron)."""


def register(app: Flask) -> None:
    app.cli.add_command(workflow_cli)

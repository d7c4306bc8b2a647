"""``flask demo-data`` and ``flask create-admin``: the accounts' commands, and the demo loaders of every domain."""

import click
from flask import current_app

from app.accounts import bp, queries, services
from app.accounts.demo import account_note
from app.core.registry import registry_of
from app.core.uow import unit_of_work

DEFAULT_DEMO_PASSWORD = "demo-demo-2026"  # noqa: S105 - the fictional accounts of a demo, never production


@bp.cli.command("demo-data")
@click.option("--password", default=DEFAULT_DEMO_PASSWORD, show_default=True, help="Password of every demo account.")
@click.option("--force", is_flag=True, help="Load even though the database already has users.")
@click.option(
    "--if-empty", is_flag=True, help="Load only when the database has no user; otherwise list the demo accounts."
)
def demo_data(password: str, force: bool, if_empty: bool) -> None:
    """Load fictional departments, people, cycles, requests, reports and projects."""
    if current_app.config.get("CONFIG_NAME") == "production":
        raise click.ClickException("demo-data refuses to run under the production configuration.")
    if queries.user_count() and not force:
        if if_empty:
            _print_existing_demo_accounts()
            return
        raise click.ClickException("The database already has users; demo data not loaded (use --force to add them).")
    ctx: dict = {"password": password, "accounts": []}
    with unit_of_work():
        for loader in registry_of().demo_loaders:
            loader.run(ctx)
    click.echo(f"Demo data loaded. Every account's password: {password}")
    for email, roles, note in ctx["accounts"]:
        _echo_account(email, roles, note)


def _echo_account(email: str, roles: str, note: str) -> None:
    click.echo(f"  {email:<48} {roles:<18}{'(' + note + ')' if note else ''}".rstrip())


def _print_existing_demo_accounts() -> None:
    users = queries.demo_accounts()
    click.echo("The database already has data; nothing loaded.")
    if users:
        click.echo(f"Demo accounts (password given when they were loaded, by default {DEFAULT_DEMO_PASSWORD}):")
        for user in users:
            _echo_account(user.email, ", ".join(sorted(user.roles)), account_note(user))


@bp.cli.command("create-admin")
@click.argument("email")
@click.option("--name", default="Administrator", show_default=True)
@click.password_option(help="Asked when not given.")
def create_admin(email: str, name: str, password: str) -> None:
    """Create an administrator (or give the role to an existing user) and set their password."""
    try:
        with unit_of_work():
            user = services.make_administrator(email, name, password)
    except services.WeakPassword as refusal:
        raise click.ClickException(str(refusal.message)) from None
    click.echo(f"Administrator ready: {user.email}")

"""Command-line commands: demo data, the first administrator, the e-mail outbox."""

import importlib
import secrets

import click
from flask import Flask, current_app
from sqlalchemy import func, select

from app.core.translations import i18n_cli
from app.extensions import db

# Each domain may offer demo data with a ``load(ctx)`` function in its ``demo`` module; they run in this order.
DEMO_DOMAINS = ("accounts", "reference", "leave", "reports", "projects")
# Each domain may offer commands with a ``register(app)`` function in its ``commands`` module.
COMMAND_DOMAINS = ("accounts", "reference", "leave", "reports", "projects")


def optional_module(name: str):
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise
        return None


def register_commands(app: Flask) -> None:
    app.cli.add_command(demo_data)
    app.cli.add_command(create_admin)
    app.cli.add_command(notifications_cli)
    app.cli.add_command(i18n_cli)
    for domain in COMMAND_DOMAINS:
        module = optional_module(f"app.{domain}.commands")
        if module is not None:
            module.register(app)


@click.command("demo-data")
@click.option("--password", default="demo-demo-2026", show_default=True, help="Password of every demo account.")
@click.option("--force", is_flag=True, help="Load even though the database already has users.")
@click.option(
    "--if-empty", is_flag=True, help="Load only when the database has no user; otherwise list the demo accounts."
)
def demo_data(password: str, force: bool, if_empty: bool) -> None:
    """Load fictional departments, people, cycles, requests, reports and projects."""
    from app.accounts.models import User

    if current_app.config.get("CONFIG_NAME") == "production":
        raise click.ClickException("demo-data refuses to run under the production configuration.")
    if db.session.scalar(select(func.count(User.id))) and not force:
        if if_empty:
            _print_existing_demo_accounts()
            return
        raise click.ClickException("The database already has users; demo data not loaded (use --force to add them).")
    ctx: dict = {"password": password, "accounts": []}
    for domain in DEMO_DOMAINS:
        module = optional_module(f"app.{domain}.demo")
        if module is not None:
            module.load(ctx)
    db.session.commit()
    click.echo(f"Demo data loaded. Every account's password: {password}")
    for email, roles, note in ctx["accounts"]:
        click.echo(f"  {email:<48} {roles}{'  (' + note + ')' if note else ''}")


def _print_existing_demo_accounts() -> None:
    from app.accounts.models import User

    users = db.session.scalars(select(User).where(User.email.like("%@demo.montreal.example")).order_by(User.id)).all()
    click.echo("The database already has data; nothing loaded.")
    if users:
        click.echo("Demo accounts (password given when they were loaded, by default demo-demo-2026):")
        for user in users:
            note = "" if user.active else "  (inactive)"
            click.echo(f"  {user.email:<48} {', '.join(sorted(user.roles))}{note}")


@click.command("create-admin")
@click.argument("email")
@click.option("--name", default="Administrator", show_default=True)
@click.password_option(help="Asked when not given.")
def create_admin(email: str, name: str, password: str) -> None:
    """Create an administrator (or give the role to an existing user) and set their password."""
    from app.accounts.models import Role, User

    email = email.strip().lower()
    if len(password) < current_app.config["PASSWORD_MIN_LENGTH"]:
        raise click.ClickException(
            f"The password must have at least {current_app.config['PASSWORD_MIN_LENGTH']} characters."
        )
    user = User.by_email(email)
    if user is None:
        user = User(email=email, full_name=name, employee_number=f"ADM-{secrets.token_hex(3).upper()}")
        db.session.add(user)
    user.roles = user.roles | {Role.ADMIN.value, Role.EMPLOYEE.value}
    user.active = True
    user.set_password(password)
    db.session.commit()
    click.echo(f"Administrator ready: {email}")


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

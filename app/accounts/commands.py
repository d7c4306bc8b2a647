"""``flask demo-data`` and ``flask create-admin``: the accounts' commands, and the demo loaders of every domain."""

import secrets

import click
from flask import current_app
from sqlalchemy import func, select

from app.accounts import bp
from app.accounts.models import Role, User
from app.core.registry import registry_of
from app.core.uow import unit_of_work
from app.extensions import db


@bp.cli.command("demo-data")
@click.option("--password", default="demo-demo-2026", show_default=True, help="Password of every demo account.")
@click.option("--force", is_flag=True, help="Load even though the database already has users.")
@click.option(
    "--if-empty", is_flag=True, help="Load only when the database has no user; otherwise list the demo accounts."
)
def demo_data(password: str, force: bool, if_empty: bool) -> None:
    """Load fictional departments, people, cycles, requests, reports and projects."""
    if current_app.config.get("CONFIG_NAME") == "production":
        raise click.ClickException("demo-data refuses to run under the production configuration.")
    if db.session.scalar(select(func.count(User.id))) and not force:
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
        click.echo(f"  {email:<48} {roles}{'  (' + note + ')' if note else ''}")


def _print_existing_demo_accounts() -> None:
    users = db.session.scalars(select(User).where(User.email.like("%@demo.montreal.example")).order_by(User.id)).all()
    click.echo("The database already has data; nothing loaded.")
    if users:
        click.echo("Demo accounts (password given when they were loaded, by default demo-demo-2026):")
        for user in users:
            note = "" if user.active else "  (inactive)"
            click.echo(f"  {user.email:<48} {', '.join(sorted(user.roles))}{note}")


@bp.cli.command("create-admin")
@click.argument("email")
@click.option("--name", default="Administrator", show_default=True)
@click.password_option(help="Asked when not given.")
def create_admin(email: str, name: str, password: str) -> None:
    """Create an administrator (or give the role to an existing user) and set their password."""
    email = email.strip().lower()
    if len(password) < current_app.config["PASSWORD_MIN_LENGTH"]:
        raise click.ClickException(
            f"The password must have at least {current_app.config['PASSWORD_MIN_LENGTH']} characters."
        )
    with unit_of_work():
        user = User.by_email(email)
        if user is None:
            user = User(email=email, full_name=name, employee_number=f"ADM-{secrets.token_hex(3).upper()}")
            db.session.add(user)
        user.roles = user.roles | {Role.ADMIN.value, Role.EMPLOYEE.value}
        user.active = True
        user.set_password(password)
    click.echo(f"Administrator ready: {email}")

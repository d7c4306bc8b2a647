"""Delegations: a manager names a delegate who sees and decides their team's requests during a date range."""

from datetime import date

from flask import url_for
from flask_babel import gettext as _

from app.accounts.models import User
from app.core.notifications import notify
from app.extensions import db
from app.leave.models import Delegation
from app.leave.services import NotAllowedError, RuleError


def _check_delegation(manager: User, delegate: User | None, starts_on: date, ends_on: date, today: date) -> None:
    if delegate is None or not delegate.active:
        raise RuleError(_("Choose an active person."), field="delegate_id")
    if delegate.id == manager.id:
        raise RuleError(_("You cannot delegate to yourself."), field="delegate_id")
    if ends_on < starts_on:
        raise RuleError(_("The end date must be on or after the start date."), field="ends_on")
    if ends_on < today:
        raise RuleError(_("The delegation would already be over."), field="ends_on")


def create_delegation(manager: User, delegate: User | None, starts_on: date, ends_on: date, today: date) -> Delegation:
    _check_delegation(manager, delegate, starts_on, ends_on, today)
    delegation = Delegation(manager=manager, delegate=delegate, starts_on=starts_on, ends_on=ends_on)
    db.session.add(delegation)
    db.session.flush()
    notify(
        delegate,
        "leave/delegation",
        link=url_for("leave.manager_queue"),
        manager=manager.full_name,
        start=starts_on.isoformat(),
        end=ends_on.isoformat(),
    )
    return delegation


def end_delegation(delegation: Delegation, actor: User) -> None:
    if delegation.manager_id != actor.id:
        raise NotAllowedError(_("Only the manager ends their delegation."))
    db.session.delete(delegation)
    db.session.flush()

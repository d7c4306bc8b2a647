"""Delegations: a manager names a delegate who sees and decides their team's requests during a date range."""

from datetime import date

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import User
from app.core.notifications import notify
from app.extensions import db
from app.leave.models import Delegation
from app.leave.transitions import RuleError


def delegators_of(user: User, day: date) -> list[int]:
    """Ids of the managers who delegated to ``user`` for ``day``."""
    if user is None or not getattr(user, "id", None):
        return []
    return list(
        db.session.scalars(
            select(Delegation.manager_id).where(
                Delegation.delegate_id == user.id, Delegation.starts_on <= day, Delegation.ends_on >= day
            )
        ).all()
    )


def is_delegate_of(user: User, manager_id: int | None, day: date) -> bool:
    return manager_id is not None and manager_id in delegators_of(user, day)


def create_delegation(manager: User, delegate: User | None, starts_on: date, ends_on: date, today: date) -> Delegation:
    if delegate is None or not delegate.active:
        raise RuleError(_("Choose an active person."), field="delegate_id")
    if delegate.id == manager.id:
        raise RuleError(_("You cannot delegate to yourself."), field="delegate_id")
    if ends_on < starts_on:
        raise RuleError(_("The end date must be on or after the start date."), field="ends_on")
    if ends_on < today:
        raise RuleError(_("The delegation would already be over."), field="ends_on")
    delegation = Delegation(manager=manager, delegate=delegate, starts_on=starts_on, ends_on=ends_on)
    db.session.add(delegation)
    db.session.flush()
    notify(
        delegate,
        "leave/delegation",
        link=url_for("leave.manager_queue"),
        manager=manager,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    return delegation


def end_delegation(delegation: Delegation, actor: User) -> None:
    if delegation.manager_id != actor.id:
        raise PermissionError("only the manager ends their delegation")
    db.session.delete(delegation)
    db.session.flush()

"""The calendar of who is away by month, and each person's calendar feed (its page and its secret address)."""

from flask import Response, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from app.accounts.queries import department_choices
from app.calendars import bp, months, permissions, queries, services
from app.calendars.feeds import feed_calendar
from app.calendars.forms import CalendarFilterForm
from app.core.actions import run_action
from app.core.database import montreal_today
from app.core.http import abort
from app.leave.queries import AWAY_PENDING
from app.reference.queries import country_choices

# How many people a day of the grid names (then "and N others"; the list names everyone).
PER_DAY = 4
# Where the new address waits, between the renewal and the page that shows it once.
_NEW_TOKEN = "calendar_feed_token"  # noqa: S105 - a key of the session, not a secret


def _filter_form() -> CalendarFilterForm:
    form = CalendarFilterForm(request.args)
    # From the reference cache: no statement.
    form.country_code.choices = [SelectChoice("", _("All"))] + [SelectChoice(*c) for c in country_choices()]
    form.department_id.choices = [SelectChoice(0, _("All"))] + [SelectChoice(*d) for d in department_choices()]
    return form


@bp.route("")
@login_required
def month():
    if not permissions.can_see_calendar(current_user):
        abort(403)
    today = montreal_today()
    shown = months.parse_month(request.args.get("mois"), today)
    form = _filter_form() if permissions.sees_every_mission(current_user) else None
    filters = form.filters() if form else {}
    entries, capped = queries.month_entries(current_user, shown.first, shown.last, filters, today)
    locale = get_locale()
    grid = months.weeks(shown, locale.first_week_day)
    months.place(grid, entries)
    names = locale.days["format"]
    return render_template(
        "calendars/month.html",
        month=shown,
        grid=grid,
        weekdays=months.weekday_order(locale.first_week_day),
        weekday_names={day: (names["wide"][day], names["abbreviated"][day]) for day in range(7)},
        per_day=PER_DAY,
        pending=AWAY_PENDING,
        entries=entries,
        capped=capped,
        cap=queries.MONTH_CAP,
        form=form,
        filters=filters,
        today=today,
    )


@bp.route("/abonnement")
@login_required
def feed_page():
    token = session.pop(_NEW_TOKEN, None)
    address = url_for("calendars.feed", token=token, _external=True) if token else None
    return render_template("calendars/feed.html", feed=queries.feed_of(current_user), address=address)


@bp.route("/abonnement/renouveler", methods=["POST"])
@login_required
def renew_feed():
    # The form is a button: its CSRF token is checked for every POST (CSRFProtect).
    outcome = run_action(lambda: services.renew_feed(current_user, current_user))
    session[_NEW_TOKEN] = outcome.value
    flash(_("Your calendar has a new address: the previous one no longer works."), "success")
    return redirect(url_for("calendars.feed_page"), code=303)


@bp.route("/<token>.ics")
def feed(token: str):
    owner = queries.feed_owner(token)
    if owner is None:
        abort(404)
    entries = queries.feed_entries(owner, montreal_today())
    body = feed_calendar(
        owner, entries, lambda request_id: url_for("leave.detail", request_id=request_id, _external=True)
    )
    response = Response(body, mimetype="text/calendar")
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Disposition"] = 'inline; filename="conges-solidaires.ics"'
    return response

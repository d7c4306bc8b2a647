"""The leave cards of the home page: what waits for the reader, in numbers (computed in the navigation's statement,
``registry.add_home_count``) and in short lists (one bounded statement each, whatever the number says: a page sends
the same statements whatever the data)."""

from dataclasses import dataclass, field

from flask_login import current_user

from app.core.database import CITY_TZ, montreal_today
from app.core.navigation import nav_count
from app.leave import permissions, queries
from app.leave.views.common import show_manager_queue


@dataclass
class Waiting:
    """A number of requests and the first of them (``queries.HOME_LIST`` at most)."""

    count: int = 0
    first: list = field(default_factory=list)

    @property
    def more(self) -> int:
        """How many the short list does not show."""
        return max(self.count - len(self.first), 0)


def counted_list(count_name: str, load) -> Waiting:
    """The home count ``count_name`` and the short list ``load()``."""
    return Waiting(int(nav_count(count_name) or 0), load())


def days_waiting(row, today=None) -> int:
    """Whole days since the request reached its status (Montréal days)."""
    return max(((today or montreal_today()) - row.status_changed_at.astimezone(CITY_TZ).date()).days, 0)


def leave_home() -> dict:
    """Jinja (``leave/_home.html``): the reader's requests under way; the requests waiting for their decision as
    manager or delegate; for a BRI officer, the requests waiting for the BRI and the open cycle's budget."""
    today = montreal_today()
    home = {"mine": counted_list("leave_under_way", lambda: queries.under_way_first(current_user))}
    if show_manager_queue():
        home["to_decide"] = counted_list("leave_to_decide", lambda: queries.to_decide_first(current_user, today))
    if permissions.is_bri(current_user):
        home["bri"] = counted_list("leave_bri_waiting", queries.bri_waiting_first)
        home["budget"] = queries.open_cycle_budget(today)
    return home

"""The leave pages, by audience: the employee's, the manager's, the BRI's (and what they share, in ``common``)."""

from app.leave.views import bri, checklist, common, employee, manager  # noqa: F401 - the routes

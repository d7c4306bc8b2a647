"""Every model, imported once so that the metadata (and Alembic) sees the whole schema."""

from app.accounts.models import Department, User, UserRole  # noqa: F401
from app.calendars.models import CalendarFeed  # noqa: F401
from app.core.exports import ExportLog  # noqa: F401
from app.core.notifications import Notification, OutboxEmail  # noqa: F401
from app.leave.checklist_models import ChecklistEntry, ChecklistItem, ChecklistReminder  # noqa: F401
from app.leave.models import (  # noqa: F401
    Attachment,
    Delegation,
    LeaveRequest,
    PartnerConfirmation,
    ReferenceCounter,
    Transition,
)
from app.projects.models import (  # noqa: F401
    Expenditure,
    FundingLine,
    Milestone,
    Project,
    ProjectChange,
    ProjectPartner,
    ProjectPhoto,
    ProjectUpdate,
    Sector,
)
from app.projects.proposals import IndicatorProposal  # noqa: F401
from app.reference.models import Country, PartnerContact, PartnerOrganisation, ProgrammeCycle  # noqa: F401
from app.reports.models import MissionReport, ReminderLog  # noqa: F401

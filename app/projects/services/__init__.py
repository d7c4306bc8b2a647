"""The business rules of cooperation projects. Every function takes the actor, writes the history, flushes and
never commits: the view (or the command) owns the transaction. One module per topic; their functions are
reached from here (``services.add_partner(...)``)."""

from app.projects.services.lines import (
    add_expenditure,
    add_funding_line,
    add_milestone,
    add_partner,
    remove_expenditure,
    remove_funding_line,
    remove_milestone,
    remove_partner,
    toggle_milestone,
)
from app.projects.services.missions import choose_request_project, link_request_to_project, unlink_request
from app.projects.services.projects import save_project, save_sector
from app.projects.services.proposals import (
    ProposalConflict,
    accept_proposal,
    can_decide_proposal,
    decline_proposal,
    propose_indicator_update,
)
from app.projects.services.publication import PublicationConflict, publish_project, unpublish_project
from app.projects.services.results import (
    record_actual,
    remove_indicator,
    remove_period,
    remove_result,
    save_indicator,
    save_period,
    save_result,
)
from app.projects.services.rules import MoveNotConfirmed, NotAllowed, ProjectRuleError, ResultConflict
from app.projects.services.updates import add_photo, edit_photo, remove_photo, remove_update, save_update

__all__ = [
    "MoveNotConfirmed",
    "NotAllowed",
    "ProjectRuleError",
    "ProposalConflict",
    "PublicationConflict",
    "ResultConflict",
    "accept_proposal",
    "add_expenditure",
    "add_funding_line",
    "add_milestone",
    "add_partner",
    "add_photo",
    "can_decide_proposal",
    "choose_request_project",
    "decline_proposal",
    "edit_photo",
    "link_request_to_project",
    "propose_indicator_update",
    "publish_project",
    "record_actual",
    "remove_expenditure",
    "remove_funding_line",
    "remove_indicator",
    "remove_milestone",
    "remove_partner",
    "remove_photo",
    "remove_update",
    "remove_period",
    "remove_result",
    "save_indicator",
    "save_period",
    "save_project",
    "save_result",
    "save_sector",
    "save_update",
    "toggle_milestone",
    "unlink_request",
    "unpublish_project",
]

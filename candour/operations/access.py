"""Who may see response times: the operations manager and the emergency operations centre manager, for the
units they hold their role in, and the executive and quality lead who answer for them.

Harm reviews of long waits are seen by the same people. They are worked (completed) by the operations
manager and the quality and governance lead, who runs the trust's patient safety process: the roles have no
clinical reviewer or medical director, who sits among the executives and receives overdue reviews.

Call recording exceptions are worked by the operations and emergency operations centre managers, who also
upload the dispatch system's and the voice recorder's files on the import pages."""

from candour.people.roles import Role, grant

VIEW_RESPONSE_TIMES = "operations.view_response_times"
VIEW_HARM_REVIEWS = "operations.view_harm_reviews"
COMPLETE_HARM_REVIEWS = "operations.complete_harm_reviews"
WORK_RECORDINGS = "operations.work_recording_exceptions"
IMPORT_FEEDS = "operations.import_feeds"


def grant_permissions() -> None:
    for role in (Role.OPERATIONS_MANAGER, Role.EOC_MANAGER, Role.EXECUTIVE, Role.QUALITY_LEAD):
        grant(role, VIEW_RESPONSE_TIMES, VIEW_HARM_REVIEWS)
    for role in (Role.OPERATIONS_MANAGER, Role.QUALITY_LEAD):
        grant(role, COMPLETE_HARM_REVIEWS)
    for role in (Role.OPERATIONS_MANAGER, Role.EOC_MANAGER):
        grant(role, WORK_RECORDINGS, IMPORT_FEEDS)

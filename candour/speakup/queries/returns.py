"""The guardian's quarterly return as other apps read it (the integration API): the same read model the
guardian's page uses, reached through speakup's queries as the seams require."""

from candour.speakup.reports import GuardianReturn, Quarter, guardian_return, recent_quarters

__all__ = ["GuardianReturn", "Quarter", "guardian_return", "recent_quarters"]

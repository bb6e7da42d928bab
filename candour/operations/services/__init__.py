"""Operations services: the only code in the app that writes, besides the importers."""

from candour.operations.services.recordings import close_exception, reconcile, reconcile_recent

__all__ = ["close_exception", "reconcile", "reconcile_recent"]

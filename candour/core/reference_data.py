"""Reference data that data migrations put in the database (subjects, quality statements, controlled drugs,
LOLER intervals, ...). Each app registers, in its `ready()`, the function its data migration calls, so that
whatever empties every table (a transactional test's flush) can put all of it back in one call, and a new
app's reference data is never forgotten by a list kept somewhere else."""

from __future__ import annotations

from collections.abc import Callable

from django.apps import apps

_ensurers: dict[str, Callable] = {}


def register(model_label: str, ensure: Callable) -> None:
    """`ensure(model)` creates the model's reference rows if they are missing (as "app_label.Model")."""
    _ensurers[model_label] = ensure


def restore_missing() -> None:
    """Put back the reference data of every model that has none."""
    for label, ensure in _ensurers.items():
        model = apps.get_model(label)
        if not model.objects.exists():
            ensure(model)

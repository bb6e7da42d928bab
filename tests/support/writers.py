"""Who writes: a database wrapper that notes every INSERT, UPDATE and DELETE made while Candour's own code
is on the stack, and which of Candour's modules made it.

Services are the only writers (docs/design.md). The platform's own record keepers are writers too: the
audit log, the one-time form tokens, the throttles, the outbox and the task results; and so are the
importers and each app's demo builder. Django's own session rows are Django's business.
"""

from __future__ import annotations

import re
import sys
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection

REPOSITORY = Path(__file__).resolve().parents[2]
WRITERS = re.compile(
    r"^candour\.("
    r"\w+\.services(\.\w+)?"
    r"|core\.(audit|once|throttle|outbox|task_results|importing(\.\w+)?)"
    r"|\w+\.(importers|transfer_import)"
    r"|\w+\.demo(\.\w+)?"
    r"|\w+\.migrations\.\w+"
    r")$"
)
DJANGO_TABLES = re.compile(r'^\s*(INSERT INTO|UPDATE|DELETE FROM)\s+"?(django_session)"?', re.IGNORECASE)
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


def _module_of(filename: str) -> str | None:
    path = Path(filename)
    try:
        relative = path.resolve().relative_to(REPOSITORY)
    except ValueError:
        return None
    if relative.parts[0] != "candour" or path.suffix != ".py":
        return None
    return ".".join(relative.with_suffix("").parts).removesuffix(".__init__")


@dataclass
class Writes:
    """Writes made by Candour code that is not a writer: (the innermost Candour module, the statement)."""

    outside_writers: list[tuple[str, str]] = field(default_factory=list)

    def __call__(self, execute, sql, params, many, context):
        if WRITE.match(sql) and not DJANGO_TABLES.match(sql):
            modules = [
                module
                for frame in traceback.extract_stack(sys._getframe(1))
                if (module := _module_of(frame.filename))
            ]
            if modules and not any(WRITERS.match(module) for module in modules):
                self.outside_writers.append((modules[-1], " ".join(sql.split())[:100]))
        return execute(sql, params, many, context)

    def report(self) -> str:
        seen = sorted(set(self.outside_writers))
        return "\n".join(f"{module} wrote: {statement}" for module, statement in seen)


@contextmanager
def writes_watched():
    """Within the block, every write by Candour code outside its writers is noted in the Writes it gives."""
    writes = Writes()
    with connection.execute_wrapper(writes):
        yield writes

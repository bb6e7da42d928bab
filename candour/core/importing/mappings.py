"""Column mappings: which of a file's own columns give each of a feed's, kept for the next file like it.

A learning system exports its own layout (its names for the columns, and many more of them than a feed
reads). The first time such a file comes, the person importing it says which column is which; the mapping is
saved against the file's header, and a later file with the same header is read the same way.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

from django.db import transaction

from candour.core import audit
from candour.core.models import ImportColumnMapping


def header_digest(header: Sequence[str]) -> str:
    """The same for two headers that differ only in case or spacing around names."""
    folded = "\x1f".join(name.strip().casefold() for name in header)
    return hashlib.sha256(folded.encode()).hexdigest()


def saved_columns(*, feed: str, header: Sequence[str]) -> dict[str, str] | None:
    """The mapping saved for files with this header, if any, with the names as this file writes them."""
    mapping = ImportColumnMapping.objects.filter(feed=feed, header_digest=header_digest(header)).first()
    if mapping is None:
        return None
    spelled = {name.strip().casefold(): name.strip() for name in header}
    return {ours: spelled[theirs.strip().casefold()] for ours, theirs in mapping.columns.items()}


@transaction.atomic
def save_columns(*, by, feed: str, header: Sequence[str], columns: Mapping[str, str]) -> ImportColumnMapping:
    """Keep a mapping for files with this header, replacing any kept before."""
    mapping, created = ImportColumnMapping.objects.update_or_create(
        feed=feed,
        header_digest=header_digest(header),
        defaults={"header": [name.strip() for name in header], "columns": dict(columns), "saved_by": by},
    )
    audit.record(
        action="saved_column_mapping",
        actor=by,
        target=mapping,
        summary=f"Columns {'chosen' if created else 'chosen again'} for {feed} files with this header",
        changes={"feed": feed, "columns": dict(columns)},
    )
    return mapping

"""Learning services: a cohort's transfer packs in one zip, made by the task worker (the only code that writes
cohort packs).

Asking fixes who is in it and queues the work. The worker makes each apprentice's PDF and bundle in turn,
saving how many are done after each, outside any transaction, so that the pack's page sees it. The zip is
built in memory, sealed with the trust's encryption key (it holds dates of birth) and written under a
temporary name, renamed into place only when whole; any failure removes what was written and keeps a plain
reason, so nothing half-made is ever offered. Only the lead who asked may download it, and each
apprentice's pack that leaves is audited. Packs are deleted after CANDOUR_COHORT_PACK_KEEP_DAYS.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from candour.core import audit
from candour.core.refusals import Refused
from candour.learning import sealed, transfer
from candour.learning.models import CohortPack, LearningProvider
from candour.learning.queries.apprenticeships import transferred_cohort
from candour.learning.services.apprenticeships import record_pack_download
from candour.people.models import User

logger = logging.getLogger(__name__)
PACKS_DIR = "transfer-packs"
Status = CohortPack.Status


@transaction.atomic
def request_cohort_pack(*, by: User, provider_id: uuid.UUID, on: dt.date) -> CohortPack:
    """Ask the worker for one zip of the packs of everyone the user manages who moved (or is to move) to a
    provider on a day."""
    from candour.learning.tasks.apprenticeships import make_cohort_pack as task  # the tasks import this

    cohort = list(transferred_cohort(by, provider_id=provider_id, on=on))
    if not cohort:
        raise Refused("No apprentices you manage moved to that provider on that day.")
    pack = CohortPack.objects.create(
        requested_by=by,
        provider=LearningProvider.objects.get(public_id=provider_id),
        transferred_on=on,
        total=len(cohort),
    )
    pack.apprenticeships.set(cohort)
    task.enqueue(pack.pk)
    audit.record(
        action="requested_cohort_pack",
        actor=by,
        target=pack,
        changes={"provider": pack.provider.name, "transferred_on": on, "apprentices": len(cohort)},
    )
    return pack


def _save(pack: CohortPack, **values) -> None:
    for name, value in values.items():
        setattr(pack, name, value)
    CohortPack.objects.filter(pk=pack.pk).update(**values, updated_at=timezone.now())


def _reason(error: Exception) -> str:
    if isinstance(error, OSError):
        return f"The zip could not be written to the server's disk ({error.strerror or error})."
    return f"Something went wrong while making the packs ({type(error).__name__})."


def make_cohort_pack(*, pack_id: int) -> CohortPack:
    """The worker's part: make, seal and keep the zip; or say why not. A pack already started is left."""
    pack = CohortPack.objects.select_related("provider").get(pk=pack_id)
    if pack.status != Status.WAITING:
        return pack
    _save(pack, status=Status.RUNNING)
    written: Path | None = None
    with_safeguarding: list[str] = []

    def made(one: transfer.TransferPack) -> None:
        if one.safeguarding:
            with_safeguarding.append(one.staff_number)
        _save(pack, made=pack.made + 1)

    try:
        cohort = pack.apprenticeships.select_related(
            "person", "provider", "transferred_to", "station"
        ).order_by("person__family_name", "person__given_name")
        content = sealed.seal(transfer.cohort_zip(cohort, made=made))
        relative = f"{PACKS_DIR}/{pack.public_id}.zip.sealed"
        target = Path(settings.MEDIA_ROOT) / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        written = target.with_name(f"{target.name}.partial")
        written.write_bytes(content)
        os.replace(written, target)
        written = target
        _save(
            pack,
            status=Status.DONE,
            stored_path=relative,
            size_bytes=len(content),
            with_safeguarding=with_safeguarding,
            finished_at=timezone.now(),
        )
    except Exception as error:  # whatever stops it, the pack says so and offers nothing
        logger.exception("Cohort pack %s failed", pack.public_id)
        if written is not None:
            written.unlink(missing_ok=True)
        _save(pack, status=Status.FAILED, failure=_reason(error)[:300], finished_at=timezone.now())
    audit.record(
        action="made_cohort_pack" if pack.status == Status.DONE else "cohort_pack_failed",
        system="transfer packs",
        target=pack,
        changes={"apprentices": pack.made, "status": pack.status},
    )
    return pack


@transaction.atomic
def read_cohort_pack(*, by: User, pack: CohortPack) -> bytes:
    """The zip, opened, for the lead who asked; each apprentice's pack in it is recorded as leaving."""
    if pack.requested_by_id != by.pk:
        raise PermissionDenied
    if pack.status != Status.DONE:
        raise Refused("This zip is not ready.")
    content = sealed.unseal((Path(settings.MEDIA_ROOT) / pack.stored_path).read_bytes())
    for apprenticeship in pack.apprenticeships.select_related("person", "station"):
        record_pack_download(
            by=by,
            apprenticeship=apprenticeship,
            safeguarding_included=apprenticeship.person.staff_number in pack.with_safeguarding,
        )
    return content


@transaction.atomic
def forget_old_cohort_packs(*, today: dt.date) -> int:
    """Delete the packs (their files and their records) made more than CANDOUR_COHORT_PACK_KEEP_DAYS ago."""
    before = today - dt.timedelta(days=settings.CANDOUR_COHORT_PACK_KEEP_DAYS)
    old = list(CohortPack.objects.filter(created_at__lt=_midnight(before)))
    for pack in old:
        if pack.stored_path:
            (Path(settings.MEDIA_ROOT) / pack.stored_path).unlink(missing_ok=True)
    CohortPack.objects.filter(pk__in=[pack.pk for pack in old]).delete()
    if old:
        audit.record(action="forgot_cohort_packs", system="transfer packs", changes={"packs": len(old)})
    return len(old)


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))

"""The child of `bench.medicines` that records controlled drugs entries from many processes at once, on the
database DATABASE_URL names (a migrated scratch PostgreSQL database): one station with a few register
parts, one signed-up clinician per writer, every writer recording receipts and administrations into all the
parts in turn through `services.record_entry`, the one writer. Prints one JSON line: how many entries the
writers recorded, how many are stored, the seconds from the start signal to the last writer's end, and how
many parts do not add up (a line number missing or twice, or a balance that is not the sum before it)."""

from __future__ import annotations

import argparse
import json
import multiprocessing
import time

import django

PARTS = 3
OPENING_STOCK = 1_000


def _setup():
    """A station with a safe and its parts stocked, and a clinician per writer; returns their ids."""
    from candour.medicines import services
    from candour.medicines.models import ControlledDrug, Premises
    from candour.medicines.reference import ensure_controlled_drugs
    from candour.people.roles import Role
    from tests.support.factories import StationFactory, make_user

    ensure_controlled_drugs(ControlledDrug)
    station = StationFactory(name="Bench")
    lead = make_user(Role.MEDICINES_LEAD, station.parent.parent)
    drugs = list(ControlledDrug.objects.filter(register_required=True).order_by("pk")[:PARTS])
    premises = services.create_premises(by=lead, unit=station, kind=Premises.Kind.SAFE, name="Bench safe")
    parts = [services.open_part(by=lead, premises=premises, drug=drug) for drug in drugs]
    stocker = make_user(Role.STAFF, station)
    for part in parts:
        _record(stocker, part, "received", OPENING_STOCK)
    return premises.pk, [part.pk for part in parts], station.pk


def _record(by, part, kind: str, quantity: int):
    from django.utils import timezone

    from candour.medicines import services

    movement = services.Movement(
        kind=kind,
        quantity=quantity,
        occurred_on=timezone.localdate(),
        party_name="Northmoor pharmacy" if kind == "received" else "",
        party_address="1 Infirmary Road, Northmoor" if kind == "received" else "",
        batch="BENCH1" if kind == "received" else "",
        expires_on=timezone.localdate().replace(year=timezone.localdate().year + 2)
        if kind == "received"
        else None,
        incident_reference=f"BENCH-{time.monotonic_ns()}" if kind == "administered" else "",
        authority="JRCALC paramedic exemption" if kind == "administered" else "",
        dose="10 mg" if kind == "administered" else "",
    )
    return services.record_entry(by=by, premises=part.premises, drug=part.drug, movement=movement)


def _writer(number: int, user_id: int, part_ids: list[int], writes: int, start, results) -> None:
    django.setup()
    from candour.medicines.models import RegisterPart
    from candour.people.models import User

    user = User.objects.get(pk=user_id)
    parts = list(
        RegisterPart.objects.filter(pk__in=part_ids).select_related("premises", "drug").order_by("pk")
    )
    start.wait()
    recorded, problem = 0, None
    try:
        for index in range(writes):
            part = parts[(number + index) % len(parts)]
            # Mostly doses given, with a receipt now and then, as a station's morning goes.
            receipt = index % 5 == 0
            _record(user, part, "received" if receipt else "administered", 2 if receipt else 1)
            recorded += 1
    except Exception as error:
        problem = repr(error)
    results.put((recorded, problem))


def _parts_wrong(part_ids: list[int]) -> int:
    from django.db.models import Count, Max, Sum

    from candour.medicines.models import RegisterEntry

    wrong = 0
    for part_id in part_ids:
        lines = list(RegisterEntry.objects.filter(part_id=part_id).order_by("sequence"))
        totals = RegisterEntry.objects.filter(part_id=part_id).aggregate(
            lines=Count("pk"), last=Max("sequence"), total=Sum("change")
        )
        running, numbered = 0, True
        for expected, line in enumerate(lines, start=1):
            running += line.change
            numbered &= line.sequence == expected and line.balance_after == running
        if not numbered or totals["lines"] != totals["last"] or lines[-1].balance_after != totals["total"]:
            wrong += 1
    return wrong


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.cd_writers")
    parser.add_argument("--writers", type=int, required=True)
    parser.add_argument("--writes", type=int, required=True)
    options = parser.parse_args()
    django.setup()
    from django.db import connections

    from candour.medicines.models import RegisterEntry, RegisterPart
    from candour.people.models import OrgUnit
    from candour.people.roles import Role
    from tests.support.factories import make_user

    _, part_ids, station_id = _setup()
    station = OrgUnit.objects.get(pk=station_id)
    users = [make_user(Role.STAFF, station).pk for _ in range(options.writers)]
    before = RegisterEntry.objects.count()
    connections.close_all()  # each writer opens its own connection
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(options.writers + 1)
    results = context.Queue()
    writers = [
        context.Process(target=_writer, args=(number, user, part_ids, options.writes, start, results))
        for number, user in enumerate(users)
    ]
    for writer in writers:
        writer.start()
    start.wait()
    began = time.perf_counter()
    outcomes = [results.get(timeout=1800) for _ in writers]
    seconds = time.perf_counter() - began
    recorded = sum(count for count, _ in outcomes)
    problems = [problem for _, problem in outcomes if problem]
    for writer in writers:
        writer.join()
    stored = RegisterEntry.objects.count() - before
    outcome = {
        "recorded": recorded,
        "stored": stored,
        "seconds": seconds,
        "parts": RegisterPart.objects.count(),
        "parts_wrong": _parts_wrong(part_ids),
        "problems": problems[:3],
    }
    print(json.dumps(outcome))


if __name__ == "__main__":
    main()

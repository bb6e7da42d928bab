"""Register lines from another system, through the importer framework: checked as the one writer checks an
entry, balances worked out line by line (a negative one refused by its line), all or nothing, append-only
(a stored line is compared, never changed), and the same file twice changing nothing."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from candour.core.importing import check_import, write_together
from candour.medicines import services
from candour.medicines.models import RegisterEntry
from candour.medicines.register_importers import HEADER, RegisterEntryImporter, import_register_entries
from tests.medicines.conftest import receive

DAY = "2026-11-17"
AT = "2026-11-17T09:30"


def _line(station, premises, line, kind, quantity, *, by=None, **more):
    row = dict.fromkeys(HEADER, "")
    row.update(
        station_code=station.unit.code,
        premises=premises.name,
        drug="Morphine sulfate",
        strength=station.morphine.strength,
        form=station.morphine.form,
        line=str(line),
        kind=kind,
        occurred_on=DAY,
        recorded_at=AT,
        recorded_by=(by or station.paramedic).person.staff_number,
        quantity=str(quantity),
    )
    row.update(more)
    return row


def _received(station, line, quantity):
    return _line(
        station,
        station.safe,
        line,
        "received",
        quantity,
        party_name="Northmoor pharmacy",
        party_address="1 Infirmary Road",
        batch="MX1",
        expires_on="2028-01-31",
    )


def _transfer(station, lines, quantity, *, received=None, reference="T-1"):
    witness = station.colleague.person.staff_number
    out, into = lines
    return [
        _line(
            station,
            station.safe,
            out,
            "transferred_out",
            quantity,
            witness=witness,
            transfer_reference=reference,
            other_station_code=station.unit.code,
            other_premises=station.pouch.name,
        ),
        _line(
            station,
            station.pouch,
            into,
            "transferred_in",
            quantity if received is None else received,
            witness=witness,
            transfer_reference=reference,
            other_station_code=station.unit.code,
            other_premises=station.safe.name,
        ),
    ]


def _given(station, line, incident="INC-1", quantity=1):
    return _line(
        station,
        station.pouch,
        line,
        "administered",
        quantity,
        incident_reference=incident,
        authority="JRCALC",
    )


def _csv(rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER)
    writer.writeheader()
    writer.writerows(rows)
    file = io.BytesIO(out.getvalue().encode())
    file.name = "register.csv"
    return file


def _good(station):
    return [_received(station, 1, 10), *_transfer(station, (2, 1), 4), _given(station, 2), _given(station, 3)]


def test_a_good_file_is_written_with_each_balance_worked_out(station):
    result = import_register_entries(by=None, file=_csv(_good(station)))

    assert result.ok, result.errors
    assert result.created == 5
    assert list(station.safe_morphine.entries.values_list("sequence", "kind", "balance_after")) == [
        (1, "received", 10),
        (2, "transferred_out", 6),
    ]
    assert list(station.pouch_morphine.entries.values_list("sequence", "change", "balance_after")) == [
        (1, 4, 4),
        (2, -1, 3),
        (3, -1, 2),
    ]
    received, sent = RegisterEntry.objects.filter(transfer_id__isnull=False).order_by("kind")
    assert sent.transfer_id == received.transfer_id and received.other_premises == station.safe
    assert services.balance_of(station.pouch_morphine) == (2, 3)


def test_the_same_file_twice_changes_nothing(station):
    import_register_entries(by=None, file=_csv(_good(station)))
    before = list(RegisterEntry.objects.values_list("pk", "public_id", "balance_after"))

    again = import_register_entries(by=None, file=_csv(_good(station)))

    assert again.ok, again.errors
    assert (again.created, again.unchanged) == (0, 5)
    assert list(RegisterEntry.objects.values_list("pk", "public_id", "balance_after")) == before


def test_a_later_file_carries_on_from_the_lines_stored(station):
    import_register_entries(by=None, file=_csv(_good(station)))

    later = import_register_entries(by=None, file=_csv([_given(station, 3), _given(station, 4, "INC-2")]))

    assert later.ok, later.errors
    assert (later.created, later.unchanged) == (1, 1)
    assert services.balance_of(station.pouch_morphine) == (1, 4)


def test_a_line_that_would_take_the_balance_below_zero_is_refused_by_its_line(station):
    rows = [
        _received(station, 1, 2),
        *_transfer(station, (2, 1), 2),
        *(_given(station, n) for n in (2, 3, 4)),
    ]

    result = import_register_entries(by=None, file=_csv(rows))

    assert not result.ok
    assert [(error.line, error.column) for error in result.errors] == [(7, "quantity")]
    assert "below zero: the balance is 0 and this line takes out 1" in str(result.errors[0])
    assert str(result.errors[0]).startswith("Line 7, quantity:")
    assert not RegisterEntry.objects.exists()


def test_bad_rows_are_named_and_nothing_is_written(station):
    paramedic = station.paramedic.person.staff_number
    rows = [
        _received(station, 1, 10),
        _line(station, station.safe, 2, "wasted", 1, dose="5 mg", witness=paramedic),  # witness = recorder
        _line(station, station.pouch, 1, "administered", 1, authority="JRCALC"),  # no incident reference
        _line(
            station,
            station.safe,
            5,  # the fentanyl part has no lines yet
            "received",
            1,
            drug="Fentanyl",
            strength=station.fentanyl.strength,
            party_name="Northmoor pharmacy",
            party_address="1 Infirmary Road",
            batch="F1",
            expires_on="2028-01-01",
        ),
        _line(station, station.safe, 3, "correction", 0),
        _line(station, station.safe, 4, "received", 1, drug="Ketamine"),  # not held
        *_transfer(station, (3, 2), 2, received=3, reference="T-9"),
    ]

    result = import_register_entries(by=None, file=_csv(rows))

    assert [(error.line, error.column) for error in result.errors] == [
        (3, "witness"),
        (4, "incident_reference"),
        (5, "line"),
        (6, "kind"),
        (7, "drug"),
        (9, "transfer_reference"),
    ]
    assert "second person" in str(result.errors[0])
    assert "disagree" in str(result.errors[-1])
    assert not RegisterEntry.objects.exists()


def test_a_stored_line_is_never_changed_by_a_file_that_differs(station):
    import_register_entries(by=None, file=_csv(_good(station)))
    changed = _good(station)
    changed[3] = _given(station, 2, incident="INC-OTHER")

    result = import_register_entries(by=None, file=_csv(changed))

    assert [(error.line, error.column) for error in result.errors] == [(5, "line")]
    assert "never changed" in str(result.errors[0])
    assert RegisterEntry.objects.get(part=station.pouch_morphine, sequence=2).incident_reference == "INC-1"


def test_a_line_recorded_in_candour_while_the_file_was_checked_means_nothing_is_written(station):
    importer = RegisterEntryImporter()
    with check_import(importer, _csv(_good(station))) as checked:
        receive(station, 1)  # someone records in the safe's part meanwhile
        written = write_together([checked])

    assert not written
    assert RegisterEntry.objects.count() == 1


def test_the_command_imports_a_file_and_fails_loudly_on_a_bad_one(station, tmp_path):
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_bytes(_csv(_good(station)).getvalue())
    bad.write_bytes(_csv([_given(station, 1)]).getvalue())
    out = io.StringIO()

    call_command("import_register_entries", str(good), stdout=out)
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_register_entries", str(bad), stderr=io.StringIO())

    assert "5 created" in out.getvalue()

"""The three feeds' management commands: a good file is imported and counted, a bad one names every problem
and imports nothing."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from candour.records.models import CustodyEvent, RecordAccess

CUSTODY = "record_reference,event,by_staff_number,occurred_at\nR2,completed_on_scene,P100,2026-11-02T23:00\n"


def test_the_custody_command_imports_a_good_file(records_trust, tmp_path, capsys):
    path = tmp_path / "custody.csv"
    path.write_text(CUSTODY)

    call_command("import_custody_events", str(path))

    assert "1 created" in capsys.readouterr().out
    assert CustodyEvent.objects.count() == 1


def test_the_access_command_names_the_bad_line_and_imports_nothing(records_trust, tmp_path, capsys):
    path = tmp_path / "access.csv"
    path.write_text("staff_number,record_reference,accessed_at,action,location\nC200,R1,soon,view,PC\n")

    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_record_access", str(path))

    assert "Line 2, accessed_at" in capsys.readouterr().err
    assert not RecordAccess.objects.exists()


def test_the_index_command_says_when_the_file_cannot_be_read(records_trust, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_record_index", str(tmp_path / "missing.csv"))

"""A 100 MB malformed export: every bad row is counted, a readable report comes back, nothing is imported,
and memory stays bounded because the file is streamed."""

import resource

from candour.learning.importers import import_training_records
from candour.learning.models import TrainingRecord
from tests.learning.test_import_training_records import HEADER, staff  # noqa: F401 - fixture by name

HUNDRED_MB = 100 * 1024 * 1024
ROW = "{number},cstf-fire,2024-11-30,,Learning provider with a longish name for realism\n"


def _write_large_file(path) -> int:
    """Rows for staff numbers nobody has, ending in a truncated row: every row is bad."""
    rows = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER + "\n")
        written = len(HEADER) + 1
        while written < HUNDRED_MB:
            line = ROW.format(number=900000 + rows)
            out.write(line)
            written += len(line)
            rows += 1
        out.write("1001,cstf-fire")
    return rows + 1


def test_import_a_100_mb_malformed_file_reports_every_bad_row_and_imports_nothing(staff, tmp_path):  # noqa: F811
    path = tmp_path / "export.csv"
    bad_rows = _write_large_file(path)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    with path.open("rb") as upload:
        result = import_training_records(by=None, file=upload)

    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert path.stat().st_size >= HUNDRED_MB
    assert not result.ok and result.error_count == bad_rows
    assert str(result.errors[0]).startswith("Line 2, staff_number: no person has the staff number")
    assert len(result.errors) <= 1000
    assert not TrainingRecord.objects.exists()
    assert grown_mb < 100, f"peak memory grew by {grown_mb:.0f} MB"

import cProfile, pstats, io
import pytest
from tests.people.test_staff_import import *  # noqa

def test_profile(trust, tmp_path):
    path = tmp_path / "roster.csv"
    with path.open("w", encoding="utf-8") as file:
        file.write(f"{HEADER}\n")
        for n in range(50_000):
            head = n // 100 * 100 + (100 if n % 2 else 0)
            manager = "" if n % 100 == 0 else str(100_000 + head % 50_000)
            file.write(f"{row(str(100_000 + n), line_manager_staff_number=manager, station_code='NM-S2')}\n")
    prof = cProfile.Profile()
    prof.enable()
    with path.open("rb") as file:
        result = import_staff_roster(by=None, file=file)
    prof.disable()
    s = io.StringIO()
    pstats.Stats(prof, stream=s).sort_stats("cumulative").print_stats(35)
    print(s.getvalue())
    assert result.ok

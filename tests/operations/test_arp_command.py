"""manage.py arp: response times by month, area and category from a file of incidents."""

import csv
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

HEADER = (
    "incident_id,area,category,call_connected,chief_complaint_identified,first_assigned,first_on_scene,"
    "first_transport_on_scene,conveyed,retriaged_at,retriaged_to"
)
# Worked by hand in the comments: each incident's counted response, in seconds.
INCIDENTS = [
    # C1 360 (on scene) and C1T 600 (the ambulance), conveyed.
    "N1,North,C1,2024-03-05T10:00:00Z,,2024-03-05T10:00:10Z,2024-03-05T10:06:10Z,2024-03-05T10:10:10Z,y,,",
    # C1 480: the chief complaint (5 s) came before assignment and before connect + 30 s.
    "N2,North,C1,2024-03-05T11:00:00Z,2024-03-05T11:00:05Z,2024-03-05T11:00:40Z,2024-03-05T11:08:05Z,,n,,",
    # C2 1200 from assignment.
    "N3,North,C2,2024-03-06T12:00:00Z,,2024-03-06T12:01:00Z,2024-03-06T12:21:00Z,2024-03-06T12:21:00Z,y,,",
    # Nobody reached it: not counted.
    "N4,North,C2,2024-03-06T13:00:00Z,,2024-03-06T13:00:30Z,,,n,,",
    # C2 2880: conveyed, so the ambulance stops the clock, not the car before it.
    "S1,South,C2,2024-03-07T09:00:00Z,2024-03-07T09:02:00Z,,2024-03-07T09:30:00Z,2024-03-07T09:50:00Z,y,,",
    # C3 upgraded to C1 at 09:10: the clock restarts then; C1 450.
    "S2,South,C3,2024-03-08T09:00:00Z,,2024-03-08T09:05:00Z,2024-03-08T09:17:30Z,,n,2024-03-08T09:10:00Z,C1",
    # C2 downgraded to C4: the original start (assignment) is kept; C4 3600.
    "S3,South,C2,2024-03-09T10:00:00Z,,2024-03-09T10:01:00Z,2024-03-09T11:01:00Z,,n,2024-03-09T10:30:00Z,C4",
    # Half past midnight on 1 April in London (BST): an April incident. C2 1200.
    "N5,North,C2,2024-03-31T23:30:00Z,,2024-03-31T23:31:00Z,2024-03-31T23:51:00Z,2024-03-31T23:51:00Z,y,,",
]


def write_incidents(tmp_path, *lines, header=HEADER):
    path = tmp_path / "incidents.csv"
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def run_arp(path, *options):
    stdout, stderr = StringIO(), StringIO()
    call_command("arp", str(path), *options, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def table(output):
    return [
        (row["Month"], row["Area"], row["Category"], *map(int, list(row.values())[3:]))
        for row in csv.DictReader(StringIO(output))
    ]


def test_the_command_writes_each_month_area_and_category_then_the_whole_trust_as_all(tmp_path):
    output, stderr = run_arp(write_incidents(tmp_path, *INCIDENTS))

    assert output.splitlines()[0] == "Month,Area,Category,Incidents,TotalSeconds,MeanSeconds,Centile90Seconds"
    assert table(output) == [
        ("2024-03", "North", "C1", 2, 840, 420, 468),
        ("2024-03", "North", "C1T", 1, 600, 600, 600),
        ("2024-03", "North", "C2", 1, 1200, 1200, 1200),
        ("2024-03", "South", "C1", 1, 450, 450, 450),
        ("2024-03", "South", "C2", 1, 2880, 2880, 2880),
        ("2024-03", "South", "C4", 1, 3600, 3600, 3600),
        # All is taken from all the incidents: 474, not the areas' weighted 462.
        ("2024-03", "All", "C1", 3, 1290, 430, 474),
        ("2024-03", "All", "C1T", 1, 600, 600, 600),
        ("2024-03", "All", "C2", 2, 4080, 2040, 2712),
        ("2024-03", "All", "C4", 1, 3600, 3600, 3600),
        ("2024-04", "North", "C2", 1, 1200, 1200, 1200),
        ("2024-04", "All", "C2", 1, 1200, 1200, 1200),
    ]
    assert "linear interpolation" in stderr


def test_the_nearest_rank_centile_is_chosen_on_the_command_line(tmp_path):
    output, stderr = run_arp(write_incidents(tmp_path, *INCIDENTS), "--centile", "nearest")

    rows = {(month, area, category): centile for month, area, category, *_, centile in table(output)}
    assert rows[("2024-03", "North", "C1")] == 480
    assert rows[("2024-03", "All", "C1")] == 480
    assert rows[("2024-03", "All", "C2")] == 2880
    assert "nearest rank" in stderr


@override_settings(CANDOUR_ARP_CENTILE_METHOD="nearest")
def test_without_a_choice_the_centile_method_is_the_setting(tmp_path):
    output, _ = run_arp(write_incidents(tmp_path, *INCIDENTS))
    assert ("2024-03", "All", "C1", 3, 1290, 430, 480) in table(output)


@pytest.mark.parametrize(
    ("line", "named"),
    [
        ("X1,North,C5,2024-03-05T10:00:00Z,,,,,n,,", "category 'C5' is not a category"),
        ("X1,North,C1T,2024-03-05T10:00:00Z,,,,,n,,", "category 'C1T' is not a category"),
        ("X1,North,C2,05/03/2024 10:00,,,,,n,,", "call_connected '05/03/2024 10:00' is not an ISO 8601 time"),
        ("X1,North,C2,2024-03-05T10:00:00,,,,,n,,", "call_connected '2024-03-05T10:00:00' has no offset"),
        (
            "X1,North,C2,2024-03-05T10:00:00Z,,,2024-03-05T09:59:00Z,,n,,",
            "first resource on scene before the call connected",
        ),
        ("X1,North,C2,,,,,,n,,", "call_connected is missing"),
        ("X1,North,C2,2024-03-05T10:00:00Z,,,,,maybe,,", "conveyed 'maybe' is not y or n"),
        ("X1,,C2,2024-03-05T10:00:00Z,,,,,n,,", "area is missing"),
        ("X1,All,C2,2024-03-05T10:00:00Z,,,,,n,,", "area 'All' is kept for the whole trust"),
        (
            "X1,North,C2,2024-03-05T10:00:00Z,,,,,n,2024-03-05T10:05:00Z,C9",
            "retriaged_to 'C9' is not a category",
        ),
        ("N1,North,C2,2024-03-05T10:00:00Z,,,,,n,,", "incident N1 is already on line 2"),
    ],
)
def test_a_bad_row_is_named_by_its_line_and_nothing_is_written(tmp_path, line, named):
    path = write_incidents(tmp_path, *INCIDENTS[:3], line, *INCIDENTS[3:])
    stdout = StringIO()

    with pytest.raises(CommandError) as refused:
        call_command("arp", str(path), stdout=stdout, stderr=StringIO())

    assert f"line 5: {named}" in str(refused.value)
    assert stdout.getvalue() == ""


def test_every_bad_row_is_named_not_only_the_first(tmp_path):
    path = write_incidents(
        tmp_path,
        INCIDENTS[0],
        "X1,North,C7,2024-03-05T10:00:00Z,,,,,n,,",
        INCIDENTS[1],
        "X2,North,C2,2024-03-05T10:00:00Z,,2024-03-05T10:05:00Z,2024-03-05T10:04:00Z,,n,,",
    )

    with pytest.raises(CommandError) as refused:
        run_arp(path)

    assert str(refused.value).splitlines() == [
        f"{path}, line 3: category 'C7' is not a category (expected one of C1, C2, C3, C4)",
        f"{path}, line 5: first resource on scene before the first was assigned",
    ]


def test_a_file_missing_a_column_is_refused_naming_it(tmp_path):
    path = write_incidents(tmp_path, header=HEADER.replace(",retriaged_to", ""))

    with pytest.raises(CommandError, match="line 1: missing column\\(s\\) retriaged_to"):
        run_arp(path)


def test_an_empty_file_is_refused(tmp_path):
    path = tmp_path / "incidents.csv"
    path.write_text("", encoding="utf-8")

    with pytest.raises(CommandError, match="line 1: the file is empty"):
        run_arp(path)


def test_a_file_with_only_a_header_writes_only_the_header(tmp_path):
    output, _ = run_arp(write_incidents(tmp_path))
    assert output == "Month,Area,Category,Incidents,TotalSeconds,MeanSeconds,Centile90Seconds\n"


def test_a_missing_file_is_refused_with_its_name(tmp_path):
    with pytest.raises(CommandError, match=r"Cannot read .*absent\.csv"):
        run_arp(tmp_path / "absent.csv")

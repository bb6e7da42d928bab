import csv
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

# Twenty points alternating around 10, then one far above: blue when high is good.
STEADY_THEN_HIGH = [9, 11] * 10 + [30]


def write_csv(tmp_path, text, encoding="utf-8"):
    path = tmp_path / "measures.csv"
    path.write_text(text, encoding=encoding)
    return path


def series_csv(*metrics, values=STEADY_THEN_HIGH):
    lines = ["Metric,Date,Value"]
    for metric in metrics:
        lines += [f"{metric},2024-{month:02d},{value}" for month, value in enumerate(values, start=1)]
    return "\n".join(lines) + "\n"


def run_spc(path, *options):
    stdout, stderr = StringIO(), StringIO()
    call_command("spc", str(path), *options, stdout=stdout, stderr=stderr)
    return list(csv.DictReader(StringIO(stdout.getvalue()))), stderr.getvalue()


def test_spc_command_writes_limits_and_colours(tmp_path):
    rows, _ = run_spc(write_csv(tmp_path, series_csv("Calls answered")))

    assert list(rows[0]) == ["Metric", "Date", "Value", "Mean", "UpperLimit", "LowerLimit", "Colour"]
    assert len(rows) == 21
    assert rows[-1]["Value"] == "30"
    assert [row["Colour"] for row in rows].count("blue") == 1
    assert rows[-1]["Colour"] == "blue"
    assert float(rows[0]["Mean"]) == pytest.approx(230 / 21)


def test_spc_command_tolerates_a_byte_order_mark(tmp_path):
    rows, _ = run_spc(write_csv(tmp_path, series_csv("Calls answered"), encoding="utf-8-sig"))

    assert rows[0]["Metric"] == "Calls answered"


def test_spc_command_charts_each_metric_separately_in_input_order(tmp_path):
    first = series_csv("A").splitlines()[1:]
    second = series_csv("B", values=[100 + value for value in STEADY_THEN_HIGH]).splitlines()[1:]
    interleaved = [line for pair in zip(first, second, strict=True) for line in pair]
    path = write_csv(tmp_path, "\n".join(["Metric,Date,Value", *interleaved]) + "\n")

    rows, _ = run_spc(path)

    assert [row["Metric"] for row in rows[:4]] == ["A", "B", "A", "B"]
    assert float(rows[0]["Mean"]) + 100 == pytest.approx(float(rows[1]["Mean"]))
    assert [row["Colour"] for row in rows[-2:]] == ["blue", "blue"]


def test_spc_command_with_too_few_points_leaves_limits_empty(tmp_path):
    rows, _ = run_spc(write_csv(tmp_path, series_csv("A", values=[1, 2, 3])))

    assert {(row["UpperLimit"], row["LowerLimit"], row["Colour"]) for row in rows} == {("", "", "grey")}


def test_spc_command_direction_low_turns_improvement_into_concern(tmp_path):
    rows, _ = run_spc(write_csv(tmp_path, series_csv("A")), "--direction", "low")

    assert rows[-1]["Colour"] == "orange"


def test_spc_command_baseline_and_recalculation_set_the_limits(tmp_path):
    path = write_csv(tmp_path, series_csv("A"))

    baseline_rows, _ = run_spc(path, "--baseline", "20")
    recalculated_rows, _ = run_spc(path, "--recalculate-after", "10")

    assert {row["Mean"] for row in baseline_rows} == {"10.0"}
    assert recalculated_rows[0]["Mean"] == "10.0"
    assert recalculated_rows[10]["Mean"] != "10.0"


def test_spc_command_reports_icons_on_standard_error(tmp_path):
    _, stderr = run_spc(write_csv(tmp_path, series_csv("A")), "--target", "1")

    assert stderr.strip() == "A: variation improving_high, assurance consistently_pass"


def test_spc_command_bad_value_names_every_bad_line_and_writes_nothing(tmp_path):
    path = write_csv(tmp_path, "Metric,Date,Value\nA,2024-01,3\nA,2024-02,three\nA,2024-03,\n")
    stdout = StringIO()

    with pytest.raises(CommandError) as raised:
        call_command("spc", str(path), stdout=stdout)

    assert "line 3: the Value 'three' is not a number" in str(raised.value)
    assert "line 4: the Value is missing" in str(raised.value)
    assert stdout.getvalue() == ""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "line 1: the file is empty"),
        ("Metric,Date\nA,2024-01\n", "line 1: missing column(s) Value"),
        ("Metric,Date,Value\n", "line 2: there are no rows to chart"),
    ],
)
def test_spc_command_bad_file_raises_command_error_and_writes_nothing(tmp_path, text, message):
    stdout = StringIO()

    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call_command("spc", str(write_csv(tmp_path, text)), stdout=stdout)

    assert stdout.getvalue() == ""


def test_spc_command_recalculation_beyond_a_metric_raises_command_error(tmp_path):
    stdout = StringIO()

    with pytest.raises(CommandError, match="A: Recalculation"):
        call_command(
            "spc", str(write_csv(tmp_path, series_csv("A"))), "--recalculate-after", "40", stdout=stdout
        )

    assert stdout.getvalue() == ""


def test_spc_command_rejects_a_target_that_is_not_a_number(tmp_path):
    with pytest.raises(CommandError, match="invalid number value: 'ten'"):
        call_command("spc", str(write_csv(tmp_path, series_csv("A"))), "--target", "ten", stdout=StringIO())

"""The board assurance report for the trust-year of demo data, generated as the worker generates it (each
step from snapshots and the assurance records, the HTML, the PDF by WeasyPrint, both files saved), in one
`manage.py shell` process on the seeded database.

Timed inside that process around `generate` alone, so Django's start-up is not counted; beside it the time
to write the same report's HTML without its PDF, which is what WeasyPrint adds. Peak memory is the process's
peak RSS (resource), beside its RSS just before generating.
"""

from __future__ import annotations

import json
from pathlib import Path

from bench import processes

BOARD_MEMBER = "executive@northmoor.example"

SCRIPT = """
import json, os, resource, time
from django.conf import settings
from pypdf import PdfReader
from candour.assurance.models import ReportKind, ReportRun
from candour.assurance.reports import context_for, outline_for
from candour.assurance.reports.render import render_html
from candour.assurance.services import reports
from candour.people.models import OrgUnit, User

def rss():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

trust = OrgUnit.objects.trust()
board_member = User.objects.get(email=%(user)r)

# First the report without its PDF (reading the records, writing the HTML), which also warms the templates.
draft = ReportRun.objects.create(kind=ReportKind.BOARD, unit=trust, requested_by=board_member)
started = time.perf_counter()
context = context_for(draft)
outline = outline_for(context)
parts = {}
for step in outline.steps:
    parts[step.key] = step.build(context, parts)
render_html(outline, context, parts)
html_seconds = time.perf_counter() - started

run = reports.request_report(by=board_member, kind=ReportKind.BOARD, unit=trust)
before = rss()
started = time.perf_counter()
reports.generate(run)
seconds = time.perf_counter() - started
peak = rss()
run.refresh_from_db()
if run.status != "ready":
    raise SystemExit(f"The board report failed at {run.stage}: {run.error}")

pdf = settings.MEDIA_ROOT / run.pdf_file
with open(os.environ["CANDOUR_BENCH_OUT"], "w") as out:
    json.dump({
        "seconds": seconds,
        "html_seconds": html_seconds,
        "rss_before": before,
        "rss_peak": peak,
        "pages": len(PdfReader(pdf).pages),
        "pdf_bytes": pdf.stat().st_size,
        "charts": len(parts["measures"].charts) + 1,
    }, out)
"""


def board_report_rows(*, var_dir: Path, env: dict[str, str], log: Path) -> list[tuple[str, str, str, str]]:
    """(measure, value, reference, ratio) rows for the benchmark table."""
    print("Generating the board assurance report (HTML and PDF) ...", flush=True)
    out = var_dir / "board-report.json"
    processes.manage(
        "shell",
        "--no-imports",
        "-c",
        SCRIPT % {"user": BOARD_MEMBER},
        env=env | {"CANDOUR_BENCH_OUT": str(out)},
        log=log,
        timeout=1800,
    )
    found = json.loads(out.read_text())
    name = f"board assurance report ({found['charts']} SPC charts, {found['pages']} PDF pages)"
    seconds, html_seconds = found["seconds"], found["html_seconds"]
    peak, before = found["rss_peak"] / 2**20, found["rss_before"] / 2**20
    return [
        (
            f"{name}: wall time",
            f"{seconds:.1f} s",
            f"{html_seconds:.1f} s (the same report's HTML, no PDF)",
            f"{seconds / html_seconds:.1f}x",
        ),
        (f"{name}: peak memory (RSS)", f"{peak:.0f} MiB", f"{before:.0f} MiB (before generating)", "—"),
        (f"{name}: PDF size", f"{found['pdf_bytes'] / 2**20:.1f} MiB", "—", "—"),
    ]

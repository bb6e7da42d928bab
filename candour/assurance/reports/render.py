"""A report written out: its HTML by Jinja, one standalone document (the print stylesheet and the SVG charts
inline, so it reads the same wherever it is opened), and its PDF by WeasyPrint from that same HTML.

WeasyPrint fetches nothing: the document carries all it shows, so text that came from people (a narrative, an
evidence link) can never make the server ask for a URL while the report is made.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.template.loader import render_to_string
from markupsafe import Markup

from candour.assurance.queries.reports import report_title
from candour.assurance.reports import Outline, ReportContext
from candour.core.charts import format_value
from candour.core.pdf import pdf_from_html

STYLESHEET = Path(__file__).resolve().parents[1] / "static" / "assurance" / "report.css"


@cache
def stylesheet() -> Markup:
    return Markup(STYLESHEET.read_text())  # noqa: S704 - our own stylesheet, not user input


def render_html(outline: Outline, context: ReportContext, parts: dict) -> str:
    return render_to_string(
        outline.template,
        {
            "outline": outline,
            "report": context,
            "report_title": report_title(context.run),
            "parts": parts,
            "stylesheet": stylesheet(),
            "format_value": format_value,
        },
    )


def render_pdf(html: str) -> bytes:
    """The PDF of a report's HTML (`core.pdf`)."""
    return pdf_from_html(html)

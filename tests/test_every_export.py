"""Every CSV and XLSX file Candour gives out goes through `core.exports`: no cell a spreadsheet would
evaluate, and a byte-order mark on every CSV so Excel reads accents. Every PDF the pages offer opens.

Two walks: the source (nothing but `core.exports` may write CSV or XLSX), and the running pages, as every
role, following each page's links to whatever it offers to download, with text from people that looks like a
formula planted in the names, providers and notes those files carry.
"""

from __future__ import annotations

import ast
import csv
import io
import re
import zipfile
from collections import deque
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from candour.core import exports
from candour.learning.models import LearningProvider, ProgressReview, Requirement, Subject, TrainingRecord
from candour.learning.services.training import refresh_compliance
from candour.people.middleware import SESSION_KEY as TWO_FACTOR_PASSED
from candour.people.roles import Role
from tests.support.factories import make_user
from tests.test_every_url import World, _urls

SOURCE = Path(__file__).resolve().parents[1] / "candour"
HELPER = SOURCE / "core" / "exports.py"
FORMULA = '=HYPERLINK("http://example.com","x")'
DOWNLOADS = {"text/csv": "csv", exports.XLSX_CONTENT_TYPE: "xlsx", "application/zip": "zip"}
DOWNLOADS |= {"application/pdf": "pdf"}
NEVER_FOLLOWED = {"/sign-out/"}
MAX_PAGES_PER_ROLE = 300
_HREF = re.compile(r'href="([^"#]+)"')


def _writers_outside_the_helper() -> list[str]:
    found = []
    for path in SOURCE.rglob("*.py"):
        if path == HELPER:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            writes_csv = (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "csv"
                and node.attr in {"writer", "DictWriter"}
            )
            imports_openpyxl = isinstance(node, ast.ImportFrom) and (node.module or "").startswith("openpyxl")
            imports_openpyxl |= isinstance(node, ast.Import) and any(
                alias.name.startswith("openpyxl") for alias in node.names
            )
            if writes_csv or imports_openpyxl:
                found.append(f"{path.relative_to(SOURCE.parent)}:{node.lineno}")
    return found


def test_no_module_but_core_exports_writes_csv_or_xlsx():
    assert _writers_outside_the_helper() == []


def _plant_formulas(world: World) -> None:
    """Text from people, shaped like a formula, wherever it can reach a download."""
    for unit in (world.station, world.area):
        unit.name = f"{FORMULA} {unit.name}"
        unit.save()
    apprenticeship = world.learning["apprenticeship"]
    person = apprenticeship.person
    person.given_name, person.family_name = "@SUM(1+1)", "-2+3"
    person.save()
    LearningProvider.objects.filter(pk=apprenticeship.provider_id).update(name=f"+{FORMULA}")
    review = ProgressReview.objects.get(pk=world.learning["review"].pk)
    review.progress_summary = FORMULA
    review.save()
    subject = Subject.objects.order_by("display_order").first()
    subject.name = f"{FORMULA} {subject.name}"
    subject.save()
    TrainingRecord.objects.create(
        person=person, subject=subject, completed_on=apprenticeship.start_date, provider=FORMULA
    )
    Requirement.objects.create(job_role=person.job_role, subject=subject)
    refresh_compliance([person.pk])


def _cells(kind: str, content: bytes) -> list[tuple[str, object, bool]]:
    """(file, value, marked as text) for every cell of a download, and of every file in a zip."""
    if kind == "csv":
        assert content.startswith(b"\xef\xbb\xbf"), "a CSV download must begin with a byte-order mark"
        rows = csv.reader(io.StringIO(content.decode("utf-8-sig")))
        return [("", value, False) for row in rows for value in row]
    if kind == "pdf":
        # No cells to evaluate; it must open, and hold text.
        assert "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).strip()
        return []
    if kind == "xlsx":
        sheet = load_workbook(io.BytesIO(content)).active
        return [("", cell.value, bool(cell.quotePrefix)) for row in sheet.iter_rows() for cell in row]
    found = []
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            extension = name.rsplit(".", 1)[-1]
            if extension in {"csv", "xlsx"}:
                found += [(name, value, text) for _, value, text in _cells(extension, archive.read(name))]
    return found


def _unsafe(value: object, marked_as_text: bool) -> bool:
    """A cell a spreadsheet would evaluate: text beginning with a formula character, neither escaped with an
    apostrophe (CSV) nor stored as text with the quote prefix (XLSX)."""
    return (
        isinstance(value, str)
        and exports.needs_escaping(value)
        and not value.startswith("'")
        and not (marked_as_text)
    )


def _crawl(client: Client, start: list[str]):
    """Every page in `start`, and those reachable from them by links (up to the cap), once; yields (url,
    response). Every start page is visited however many links the earlier ones led to, so an app late in
    the URL list still has its downloads opened."""
    seen, queue = set(start), deque(start)
    paths = {urlsplit(url).path for url in start}
    while queue:
        url = queue.popleft()
        response = client.get(url)
        yield url, response
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        for href in _HREF.findall(response.content.decode()):
            target = urljoin(url, href.replace("&amp;", "&"))
            parts = urlsplit(target)
            if parts.netloc or not parts.path.startswith("/") or parts.path.startswith("/static/"):
                continue
            if parts.path in NEVER_FOLLOWED or target in seen or len(seen) > MAX_PAGES_PER_ROLE:
                continue
            # Filters and pages of a list lead to the same kinds of file: one of each page, and every
            # link that asks for a format.
            if parts.path in paths and "format=" not in parts.query:
                continue
            seen.add(target)
            paths.add(parts.path)
            # A download is fetched before more pages, so a growing app cannot push one past the cap.
            if "format=" in parts.query:
                queue.appendleft(target)
            else:
                queue.append(target)


@pytest.mark.parametrize("role", Role.values)
def test_every_download_as_every_role_is_safe_to_open_in_a_spreadsheet(db, role):
    world = World()
    _plant_formulas(world)
    client = Client()
    client.force_login(make_user(role, world.unit_for(role)))
    session = client.session
    session[TWO_FACTOR_PASSED] = True
    session.save()
    start = [inside for _, inside, _ in _urls(world)]
    unsafe, downloads, escaped = [], set(), 0
    for url, response in _crawl(client, start):
        kind = DOWNLOADS.get(response.get("Content-Type", "").split(";")[0])
        if response.status_code != 200 or kind is None:
            continue
        downloads.add(urlsplit(url).path)
        for member, value, marked in _cells(kind, response.content):
            if _unsafe(value, marked):
                unsafe.append(f"{url} {member}: {value!r}")
            escaped += isinstance(value, str) and FORMULA in value
    assert not unsafe, "\n".join(unsafe)
    if role == Role.EDUCATION_LEAD:
        # The walk reaches the compliance matrix (CSV and XLSX) and a transfer pack, with the planted text.
        assert {
            "/training/compliance/",
            f"/apprentices/{world.learning['apprenticeship'].public_id}/transfer-pack/",
        } <= downloads
        assert escaped
    if role == Role.MEDICINES_LEAD:
        part = world.__dict__["_medicines_inside"]["part"]
        assert f"/medicines/registers/{part.public_id}/register.pdf" in downloads

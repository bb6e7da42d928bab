"""Stored script stays inert text: script put in every free-text field a person can fill in is shown back
as text on every page of every role, and in the HTML and PDF reports and transfer packs, never as markup.

The fields are found, not listed: every text column of every Candour model is filled (straight in the
database, as an import or an old record could have left it), except the few the code reads as keys, which
are named below with their reason. A new model's text is covered the day it is added.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from candour.core import audit
from candour.core.encryption import EncryptedTextField
from candour.people.roles import Role
from tests.support.audit import append_only_lifted
from tests.support.factories import make_user
from tests.test_every_url import World, _urls, _visit

# Kept by the system for itself, never typed by a person (and the audit log is append-only: an event
# carrying script is recorded below instead).
SYSTEM_MODELS = {
    "core.AuditEvent",
    "core.AuditChainHead",
    "core.AuditVerification",
    "core.DeferredAuditEvent",
    "core.ScheduledJobRun",
    "core.SubmittedForm",
    "core.ThrottleKey",
    "core.ThrottleCount",
    "people.RecoveryCode",
    "voice.ResponseToken",
    "learning.ReminderLog",
}
# Text the code reads rather than shows: keys into registries, hashes and secrets, generated references,
# paths on disk, and values checked against a format before they are stored.
# Text a database rule ties to another column: filling it fills that column too, so the row stays valid
# (an onward report's outcome is dated when it is recorded).
PAIRED = {
    ("medicines.OnwardReport", "outcome"): lambda: {"outcome_recorded_at": timezone.now()},
}
KEYS = {
    "password",
    "secret",
    "code_hash",
    "receipt_hash",
    "receipt_lookup",
    "token",
    "measure_key",
    "feed",
    "template",
    "key_question",
    "reporter_professional_group",
    "closure_reason",
    "reference",
    "stored_path",
    "html_file",
    "pdf_file",
    "nhs_number",
    "date_of_birth",
    "ukprn",
    "standard_code",
    "unique_learner_number",
    "prefix",
    "hashed",
    "body_hash",
    "registration",  # a vehicle's, ten characters: too short for any script
}


@dataclass(frozen=True)
class TextField:
    number: int
    model: type[models.Model]
    name: str
    max_length: int | None
    unique: bool
    is_url: bool

    @property
    def label(self) -> str:
        return f"{self.model._meta.label}.{self.name}"

    def payload(self, row: int) -> str:
        """Script for this field, as long as the column allows; numbered, so what is seen can be told apart
        (and unique to its row, for unique columns)."""
        n = self.number
        if self.is_url:
            return f"javascript:alert({n})"
        for candidate in (
            f'"><script>alert({n})</script><img src=x onerror=alert({n})>{row}',
            f"<svg onload=alert({n})>{row}",
            f"<b onblur={n}>{row}",
        ):
            if self.max_length is None or len(candidate) <= self.max_length:
                return candidate
        raise AssertionError(f"{self.label} is too short for any script: add it to KEYS if it is not text")


def free_text_fields() -> list[TextField]:
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("candour.") or model._meta.label in SYSTEM_MODELS:
            continue
        for column in model._meta.concrete_fields:
            if not isinstance(column, models.CharField | models.TextField) or column.choices:
                continue
            if isinstance(column, models.SlugField) or column.name in KEYS:
                continue
            found.append(
                TextField(
                    number=len(found) + 1,
                    model=model,
                    name=column.name,
                    max_length=column.max_length,
                    unique=column.unique,
                    is_url=isinstance(column, models.URLField),
                )
            )
    return found


def fill_with_script(fields: list[TextField]) -> None:
    # As an attacker who owns the database would: append-only rows (register entries) get script too.
    with append_only_lifted():
        for text in fields:
            column = text.model._meta.get_field(text.name)
            for row, instance in enumerate(text.model._base_manager.order_by("pk")):
                value = text.payload(row)
                if isinstance(column, EncryptedTextField):
                    value = column.reseal(instance, value)  # sealed to its row, as saving it would
                paired = PAIRED.get((text.model._meta.label, text.name), dict)()
                text.model._base_manager.filter(pk=instance.pk).update(**{text.name: value}, **paired)
    audit.record(action="viewed", summary=fields[0].payload(0), system="stored script test")


_NUMBER = re.compile(r"(?:alert\(|onblur=)(\d+)")


@dataclass
class Reading:
    """What a page did with the script: shown as text (which fields), or made into markup."""

    shown: set[int] = field(default_factory=set)
    live: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self, reading: Reading):
        super().__init__(convert_charrefs=True)
        self.reading = reading
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.reading.live.append(f"<{tag} {name}={value}>")
            if name in ("href", "src", "action", "formaction") and value.strip().lower().startswith(
                "javascript:"
            ):
                self.reading.live.append(f"<{tag} {name}={value}>")
            self._note(value)
        if tag == "img" and dict(attrs).get("src") == "x":
            self.reading.live.append("<img src=x>")
        self._in_script = tag == "script" and not dict(attrs).get("src")

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script and "alert(" in data:
            self.reading.live.append(f"<script>{data[:60]}</script>")
        self._note(data)

    def _note(self, text: str) -> None:
        self.reading.shown.update(int(number) for number in _NUMBER.findall(text))


def read(html: str, reading: Reading, where: str) -> None:
    before = len(reading.live)
    _Reader(reading).feed(html)
    reading.live[before:] = [f"{where}: {markup}" for markup in reading.live[before:]]


# Fields each walk must find shown back, or the test has stopped reaching the pages that show them.
MUST_BE_SHOWN = {
    Role.SAFEGUARDING_LEAD: {"people.Person.family_name", "speakup.Entry.body", "speakup.Task.title"},
    Role.QUALITY_LEAD: {"assurance.ActionPlan.finding", "assurance.Risk.description", "voice.Pulse.title"},
    Role.EDUCATION_LEAD: {"learning.Briefing.body", "people.OrgUnit.name"},
    Role.SYSTEM_ADMIN: {"people.Person.given_name", "people.JobRole.name"},
}


@pytest.mark.parametrize("role", list(MUST_BE_SHOWN))
def test_script_in_every_free_text_field_is_shown_as_text_on_every_page(db, role):
    world = World()
    urls = _urls(world)
    fields = free_text_fields()
    fill_with_script(fields)
    client = Client()
    client.force_login(make_user(role, world.unit_for(role)))
    reading = Reading()

    for name, url, _ in urls:
        response = _visit(client, url)
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            read(response.content.decode(), reading, f"{name} {url}")

    assert not reading.live, "script became markup:\n" + "\n".join(reading.live[:20])
    shown = {text.label for text in fields if text.number in reading.shown}
    assert MUST_BE_SHOWN[role] <= shown, f"not shown: {MUST_BE_SHOWN[role] - shown}"


def test_every_role_is_walked_for_stored_script(db):
    """The other roles see less than the four above, but all of what they see is walked too."""
    world = World()
    urls = _urls(world)
    fill_with_script(free_text_fields())
    reading = Reading()
    for role in Role.values:
        client = Client()
        client.force_login(make_user(role, world.unit_for(role)))
        for name, url, _ in urls:
            response = client.get(url)
            if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
                read(response.content.decode(), reading, f"{role} {name} {url}")

    assert not reading.live, "script became markup:\n" + "\n".join(reading.live[:20])


def _pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_script_in_reports_and_transfer_packs_is_text_in_their_html_and_pdf(db, settings, tmp_path):
    from candour.assurance.models import MonitoringTheme, ReportKind
    from candour.assurance.services import reports
    from candour.learning import transfer

    settings.MEDIA_ROOT = tmp_path
    world = World()
    _urls(world)
    fields = free_text_fields()
    fill_with_script(fields)
    trust = world.area.parent
    executive = make_user(Role.EXECUTIVE, trust)
    reading = Reading()
    runs = [
        reports.request_report(by=executive, kind=ReportKind.BOARD, unit=trust),
        reports.request_report(by=executive, kind=ReportKind.CQC_EVIDENCE, unit=trust, key_question="safe"),
        reports.request_report(
            by=executive,
            kind=ReportKind.OFSTED_READINESS,
            unit=trust,
            monitoring_theme=MonitoringTheme.objects.get(code="safeguarding"),
        ),
    ]
    pdf_texts = []
    for run in runs:
        run = reports.generate(run)
        assert run.html_file and run.pdf_file, f"{run.kind} was not made: {run.error}"
        read((tmp_path / run.html_file).read_text(), reading, f"{run.kind} report HTML")
        pdf_texts.append(_pdf_text((tmp_path / run.pdf_file).read_bytes()))
    pack = transfer.build_pack(world.learning["apprenticeship"])
    read(transfer.pack_html(pack), reading, "transfer pack HTML")
    pdf_texts.append(_pdf_text(transfer.pack_pdf(pack)))

    assert not reading.live, "script became markup:\n" + "\n".join(reading.live[:20])
    assert reading.shown, "no report showed any of the text put in"
    # In the PDFs the script is there as the characters typed, to be read, not run.
    assert any("<script>alert(" in text or "onerror=alert(" in text for text in pdf_texts)

"""Each nightly check records the audit chain's head outside the database: a signed line in a file, the log,
and the administrators' home page."""

import json
import logging

import pytest
from django.core.management import call_command

from candour.core import audit, tasks
from candour.core.keys import new_key
from candour.people.roles import Role
from tests.support.audit import tamper


@pytest.fixture
def chain(make_user):
    user = make_user(Role.SAFEGUARDING_LEAD)
    return [audit.record(action="viewed", actor=user, target=user, summary=f"look {n}") for n in range(3)]


def _lines(settings) -> list[dict]:
    return [json.loads(line) for line in settings.CANDOUR_AUDIT_HEADS_FILE.read_text().splitlines()]


def test_the_nightly_check_records_the_head_in_a_signed_file_and_the_log(chain, settings, caplog):
    with caplog.at_level(logging.INFO, logger="candour.audit"):
        tasks.verify_audit_chain.call()

    [line] = _lines(settings)
    assert (line["sequence"], line["hash"]) == (3, chain[-1].hash)
    assert line["signature"] and line["key_id"] == settings.CANDOUR_AUDIT_KEYS[0].partition(":")[0]
    assert f"Audit chain head recorded: event 3, seal {chain[-1].hash}" in caplog.text
    assert settings.CANDOUR_AUDIT_HEADS_FILE.stat().st_mode & 0o077 == 0


def test_a_broken_chain_records_no_head(chain, settings):
    tamper("UPDATE core_auditevent SET summary = 'x' WHERE sequence = 2")

    assert not tasks.verify_audit_chain.call()

    assert not settings.CANDOUR_AUDIT_HEADS_FILE.exists()


@pytest.mark.parametrize("change", ["sequence", "signature"])
def test_an_altered_line_in_the_heads_file_is_detected(chain, settings, change):
    tasks.verify_audit_chain.call()
    [line] = _lines(settings)
    line[change] = 1 if change == "sequence" else "0" * 64
    settings.CANDOUR_AUDIT_HEADS_FILE.write_text(json.dumps(line) + "\n")

    report = audit.verify_chain()

    assert not report.intact
    assert report.reason == "line 1 of the recorded heads is not signed by any audit key"


def test_heads_signed_with_an_older_audit_key_still_hold_after_rotation(chain, settings):
    tasks.verify_audit_chain.call()
    settings.CANDOUR_AUDIT_KEYS = [new_key("k2"), *settings.CANDOUR_AUDIT_KEYS]
    audit.record(action="seeded", system="after rotation")

    assert tasks.verify_audit_chain.call()
    assert [line["key_id"] for line in _lines(settings)][-1] == "k2"


def test_administrators_see_the_last_recorded_head_on_their_home_page(chain, make_user, client_for):
    tasks.verify_audit_chain.call()
    admin, staff = make_user(Role.SYSTEM_ADMIN), make_user(Role.STAFF)

    page = client_for(admin).get("/").content.decode()

    assert "Audit log sealed up to event 3" in page and chain[-1].hash[:16] in page
    assert "Audit log sealed" not in client_for(staff).get("/").content.decode()


def test_the_verify_command_names_the_last_recorded_head(chain, capsys):
    tasks.verify_audit_chain.call()

    call_command("verify_audit_chain")

    assert "last recorded outside the database at event 3" in capsys.readouterr().out


def test_administrators_are_told_at_once_when_the_heads_file_is_altered(
    chain, settings, make_user, client_for
):
    tasks.verify_audit_chain.call()
    settings.CANDOUR_AUDIT_HEADS_FILE.write_text('{"sequence": 1}\n')

    page = client_for(make_user(Role.SYSTEM_ADMIN)).get("/").content.decode()

    assert "recorded heads altered" in page and "line 1 of the recorded heads is not signed" in page

"""The register part as a PDF to print: it reads like the paper register (the drug at the head, every entry
in date order with its line, batch and expiry, corrections as notes), for the dates asked for, and only
for those who may read the register."""

from __future__ import annotations

import datetime as dt
import io

from django.urls import reverse
from pypdf import PdfReader

from candour.medicines import services
from candour.people.roles import Role
from tests.medicines.conftest import TODAY, receive
from tests.support.factories import StationFactory, make_user


def _pdf(part) -> str:
    return reverse("medicines:print_register", kwargs={"register_part_id": part.public_id})


def words(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def test_the_pdf_reads_like_the_paper_register(station, client_for):
    wrong = receive(station, 10, on=TODAY - dt.timedelta(days=1), batch="MX100")
    services.record_correction(
        by=station.colleague, entry=wrong, adjustment=-1, reason="Nine arrived, not ten"
    )
    response = client_for(station.paramedic).get(_pdf(station.safe_morphine))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="register-ashby-safe-morphine-sulfate-10-mg-in-1-ml.pdf"'
    )
    text = words(response.content)
    assert text.index("Morphine sulfate") < text.index("10 mg in 1 ml") < text.index("Schedule 2")
    assert "Northmoor pharmacy, 1 Infirmary Road, Northmoor" in text
    assert "MX100" in text and "Expires 30 June 2028" in text
    assert "Late: Delivered after the shift ended" in text
    assert "Note: corrected on 18 November 2026" in text and "Nine arrived, not ten" in text
    assert text.index("Note: corrected") < text.index("Corrects line 1")
    assert "Balance at the end: 9" in text and "Page 1 of 1" in text


def test_the_pdf_holds_only_the_dates_asked_for(station, client_for):
    receive(station, 10, on=TODAY - dt.timedelta(days=5), batch="EARLY")
    receive(station, 3, on=TODAY - dt.timedelta(days=2), batch="MIDDLE")
    receive(station, 1, batch="TODAY")
    dates = {"starts_on_day": "14", "starts_on_month": "11", "starts_on_year": "2026"}
    dates |= {"ends_on_day": "17", "ends_on_month": "11", "ends_on_year": "2026"}
    text = words(client_for(station.lead).get(_pdf(station.safe_morphine), dates).content)
    assert "MIDDLE" in text and "EARLY" not in text and "TODAY" not in text
    assert "Balance brought forward: 10" in text and "Balance at the end: 13" in text


def test_the_register_page_offers_the_pdf_for_its_dates(station, client_for):
    register = reverse(
        "medicines:show_register", kwargs={"register_part_id": station.safe_morphine.public_id}
    )
    page = client_for(station.paramedic).get(register, {"starts_on_day": "1"}).content.decode()
    assert f'href="{_pdf(station.safe_morphine)}?starts_on_day=1"' in page


def test_the_pdf_is_for_readers_of_the_register_only(station, client_for):
    assert (
        client_for(make_user(Role.APPRENTICE, station.unit)).get(_pdf(station.safe_morphine)).status_code
        == 403
    )
    assert (
        client_for(make_user(Role.STAFF, StationFactory())).get(_pdf(station.safe_morphine)).status_code
        == 404
    )

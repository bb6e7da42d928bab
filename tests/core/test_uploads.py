"""The request body guard: a body too large for its view, sent in chunks without a length, or compressed, is
refused by what it says of itself, before anything (the CSRF check first) reads it, with a page saying why."""

import io
import json

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from candour.core import uploads
from candour.core.models import ImportJob
from candour.core.uploads import MULTIPART_ALLOWANCE, RequestBodyGuardMiddleware, accepts_upload
from candour.people.roles import Role

UPLOAD = "learning:upload_training_records"
BUNDLE = "learning:import_transfer_bundle"
FORM = "learning:add_training_record"


@pytest.fixture
def lead(make_user):
    return make_user(Role.EDUCATION_LEAD)


def csrf_enforcing_client(user) -> Client:
    # The CSRF check reads the body to find its token: a token-less post that is answered 403 was read.
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def multipart(size: int) -> tuple[bytes, str]:
    boundary = "guard-boundary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode()
    body += b"x" * size + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize("name", [UPLOAD, BUNDLE])
def test_upload_declared_larger_than_the_view_takes_is_refused_unread_with_a_page_saying_why(
    lead, settings, name
):
    settings.CANDOUR_UPLOAD_MAX_BYTES = 100_000
    body, content_type = multipart(200_000)

    response = csrf_enforcing_client(lead).generic("POST", reverse(name), body, content_type=content_type)

    assert response.status_code == 413
    page = response.content.decode()
    assert "<title>Error: The file is too large" in page
    assert f"Files up to 100,000 bytes can be uploaded here, and this upload is {len(body):,} bytes." in page
    assert "Nothing was uploaded or changed." in page
    assert not ImportJob.objects.exists()


def test_upload_within_the_limit_reaches_the_view(lead, settings):
    settings.CANDOUR_UPLOAD_MAX_BYTES = 300_000
    body, content_type = multipart(200_000)

    response = csrf_enforcing_client(lead).generic("POST", reverse(UPLOAD), body, content_type=content_type)

    assert response.status_code == 403  # the CSRF check read it: no token


def test_form_that_takes_no_file_is_refused_a_body_larger_than_a_form(lead, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body, content_type = multipart(10_000 + MULTIPART_ALLOWANCE)

    response = csrf_enforcing_client(lead).generic("POST", reverse(FORM), body, content_type=content_type)

    assert response.status_code == 413


def test_upload_sent_in_chunks_without_its_length_is_refused_saying_so_not_as_a_csrf_failure(lead):
    response = csrf_enforcing_client(lead).generic(
        "POST", reverse(UPLOAD), b"a,b\r\n", content_type="text/csv", HTTP_TRANSFER_ENCODING="chunked"
    )

    assert response.status_code == 411
    assert "The upload did not say how large it is" in response.content.decode()


def test_upload_sent_compressed_is_refused(lead):
    response = csrf_enforcing_client(lead).generic(
        "POST", reverse(UPLOAD), b"\x1f\x8b", content_type="text/csv", HTTP_CONTENT_ENCODING="gzip"
    )

    assert response.status_code == 415
    assert "Compressed uploads are not accepted" in response.content.decode()


def test_refusal_asked_for_as_json_is_a_problem_document(lead, settings):
    settings.CANDOUR_UPLOAD_MAX_BYTES = 1_000
    body, content_type = multipart(100_000)

    response = csrf_enforcing_client(lead).generic(
        "POST", reverse(UPLOAD), body, content_type=content_type, HTTP_ACCEPT="application/json"
    )

    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    assert json.loads(response.content)["title"] == "The file is too large"


def _guarded(settings, size: int, read_limit: int):
    """The guard's answer for a body of `size` bytes, and how much of the body it read."""
    settings.CANDOUR_REFUSED_UPLOAD_READ_BYTES = read_limit
    body = io.BytesIO(b"x" * size)
    request = RequestFactory().post("/upload/", data=b"", content_type="text/csv")
    request.environ["wsgi.input"] = body
    request.META["CONTENT_LENGTH"] = str(size)
    request.user = None

    @accepts_upload("CANDOUR_UPLOAD_MAX_BYTES")
    def view(request):  # pragma: no cover - never reached
        raise AssertionError

    settings.CANDOUR_UPLOAD_MAX_BYTES = 1_000
    response = RequestBodyGuardMiddleware(lambda request: None).process_view(request, view, (), {})
    return response, body.tell()


def test_refused_body_is_read_and_thrown_away_so_the_client_gets_the_answer(db, settings):
    response, read = _guarded(settings, 500_000, read_limit=1_000_000)

    assert response.status_code == 413
    assert read == 500_000
    assert "Connection" not in response


def test_refused_body_past_the_read_limit_is_left_and_the_connection_closed(db, settings):
    response, read = _guarded(settings, 500_000, read_limit=100_000)

    assert response.status_code == 413
    assert read == 100_000
    assert response["Connection"] == "close"


def test_views_that_take_a_file_say_how_large_a_file(db):
    from django.urls import get_resolver

    from tests.test_every_url import _named_patterns

    takes_files = {
        name
        for name, pattern in _named_patterns(get_resolver())
        if getattr(pattern.callback, "upload_limit_setting", None)
    }

    assert {UPLOAD, BUNDLE} <= takes_files
    assert uploads.body_limit(lambda request: None) < uploads.body_limit(
        accepts_upload("CANDOUR_UPLOAD_MAX_BYTES")(lambda request: None)
    )

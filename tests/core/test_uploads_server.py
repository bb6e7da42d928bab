"""The request body guard on the server Candour runs on in production (gunicorn): a client that sends an
upload too large, or in chunks without its length, sends all of it and then reads the page saying why; the
connection is not cut under it (which a browser shows as a broken connection, not the page)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 1024 * 1024
PATH = "/training/imports/new/"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """gunicorn serving Candour on a free loopback port, with a 1 MB upload limit. The refusals tested here
    come before anything asks the database, so its database is an empty file."""
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env |= {
        "CANDOUR_VAR_DIR": str(tmp_path_factory.mktemp("var")),
        "CANDOUR_ENV": "development",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "CANDOUR_UPLOAD_MAX_BYTES": str(LIMIT),
    }
    command = [sys.executable, "-m", "gunicorn", "candour.wsgi", "--bind", f"127.0.0.1:{port}"]
    process = subprocess.Popen(
        [*command, "--workers", "1", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + 120
    while True:
        try:
            with opener.open(f"http://127.0.0.1:{port}/health/", timeout=2):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(
                    f"gunicorn did not start: {process.stderr.read().decode()[-2000:]}"
                ) from None
            time.sleep(0.2)
    yield port
    process.terminate()
    process.wait(timeout=30)


def _send(port: int, headers: list[str], body_chunks) -> tuple[int, bytes]:
    """Send a request whole, as a browser does before it reads the answer; the bytes sent and the answer.
    A connection cut by the server surfaces here as BrokenPipeError or ConnectionResetError."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(
            ("\r\n".join([f"POST {PATH} HTTP/1.1", "Host: 127.0.0.1", *headers]) + "\r\n\r\n").encode()
        )
        sent = 0
        for chunk in body_chunks:
            connection.sendall(chunk)
            sent += len(chunk)
        answer = b""
        while piece := connection.recv(65536):
            answer += piece
            if b"</html>" in answer:
                break
    return sent, answer


def test_upload_larger_than_the_limit_is_sent_whole_and_answered_with_the_page_saying_why(server):
    size = 20 * LIMIT
    chunks = (b"0" * 65536 for _ in range(size // 65536))

    sent, answer = _send(
        server, ["Content-Type: multipart/form-data; boundary=x", f"Content-Length: {size}"], chunks
    )

    assert sent == size
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert re.search(rb"<h1>The file is too large</h1>", answer)
    assert b"Files up to 1.0 MB can be uploaded here, and this upload is 20.0 MB." in answer


def test_upload_sent_in_chunks_without_its_length_is_answered_with_the_page_saying_why(server):
    piece = b"staff_number,subject_code\r\n" * 1000
    chunks = [f"{len(piece):x}\r\n".encode() + piece + b"\r\n" for _ in range(100)] + [b"0\r\n\r\n"]

    sent, answer = _send(server, ["Content-Type: text/csv", "Transfer-Encoding: chunked"], chunks)

    assert sent == sum(len(chunk) for chunk in chunks)
    assert answer.startswith(b"HTTP/1.1 411 ")
    assert b"The upload did not say how large it is" in answer

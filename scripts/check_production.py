"""`make check-deploy`: the README's production steps, run as a trust would run them, on a throwaway key.

migrate, collectstatic (WhiteNoise's manifest storage, which fails on any asset a stylesheet or script names
but the copy lacks), `check --deploy` with warnings as failures, then gunicorn serving the sign-in page and
the stylesheet it links. Production settings only: no demo, no development defaults. DATABASE_URL is used
when set (CI gives a fresh PostgreSQL database); otherwise a SQLite file in a temporary directory.
"""

from __future__ import annotations

import base64
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
HOST = "127.0.0.1"
# Variables a development shell may carry that production must not inherit.
DEVELOPMENT_ONLY = ("DEBUG", "EMAIL_BACKEND", "CANDOUR_REQUIRE_2FA", "CANDOUR_DEMO_PASSWORD")
STYLESHEET = re.compile(r'<link rel="stylesheet" href="(/static/nhsuk/[^"]+\.css)"')


def throwaway_key() -> str:
    return "k1:" + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def production_environment(var_dir: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in DEVELOPMENT_ONLY}
    env.update(
        CANDOUR_ENV="production",
        CANDOUR_VAR_DIR=str(var_dir),
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        CANDOUR_ENCRYPTION_KEYS=throwaway_key(),
        CANDOUR_AUDIT_KEYS=throwaway_key(),
        DATABASE_URL=os.environ.get("DATABASE_URL") or f"sqlite:///{var_dir / 'candour.sqlite3'}",
        PYTHONUNBUFFERED="1",
    )
    return env


def step(title: str) -> None:
    print(f"-- {title}", flush=True)


def manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run([str(PYTHON), "manage.py", *args], cwd=ROOT, env=env, check=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    # Behind the trust's TLS proxy: it says the request came over HTTPS, so no redirect to https://.
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def serve_and_fetch(env: dict[str, str], log: Path) -> None:
    port = free_port()
    base = f"http://{HOST}:{port}"
    command = [str(PYTHON), "-m", "gunicorn", "candour.wsgi", "--workers", "2", "--bind", f"{HOST}:{port}"]
    with log.open("wb") as out:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                raise SystemExit(f"gunicorn exited ({server.returncode}):\n{log.read_text()[-3000:]}")
            try:
                if fetch(base + "/health/")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"gunicorn did not answer /health/ in 60 s:\n{log.read_text()[-3000:]}")
            time.sleep(0.3)
        status, page = fetch(base + "/sign-in/")
        if status != 200 or "Sign in" not in page:
            raise SystemExit(f"/sign-in/ answered {status}:\n{page[:2000]}\n{log.read_text()[-3000:]}")
        stylesheet = STYLESHEET.search(page)
        if stylesheet is None:
            raise SystemExit("the sign-in page links no design-system stylesheet")
        status, _ = fetch(base + stylesheet.group(1))
        if status != 200:
            raise SystemExit(f"{stylesheet.group(1)} answered {status}")
        print(f"   gunicorn served /sign-in/ and {stylesheet.group(1)}", flush=True)
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="candour-production-") as temporary:
        var_dir = Path(temporary)
        env = production_environment(var_dir)
        try:
            step("migrate")
            manage("migrate", "--no-input", "--verbosity", "0", env=env)
            step("collectstatic")
            manage("collectstatic", "--no-input", "--verbosity", "0", env=env)
            step("check --deploy (warnings fail)")
            manage("check", "--deploy", "--fail-level", "WARNING", env=env)
            step("gunicorn serving a page")
            serve_and_fetch(env, var_dir / "gunicorn.log")
        except subprocess.CalledProcessError as error:
            failed = " ".join(error.cmd[1:])
            print(f"production check failed: {failed} exited {error.returncode}", file=sys.stderr)
            return 1
    print("Production start-up works.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

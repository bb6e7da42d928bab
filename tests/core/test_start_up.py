"""Start-up stays light: every process (web, worker, scheduler, each `manage.py` command) loads the settings
and the URLconf, and none of them should pay for WeasyPrint until it makes a PDF."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

LOADED_AT_START = """
import os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "candour.settings"
import django
django.setup()
import candour.urls
from django.urls import get_resolver
get_resolver().url_patterns
print(",".join(sorted(name for name in ("weasyprint", "pydyf", "tinycss2") if name in sys.modules)))
"""


def test_settings_and_urlconf_do_not_import_weasyprint():
    loaded = subprocess.run(
        [sys.executable, "-c", LOADED_AT_START], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()

    assert loaded == ""

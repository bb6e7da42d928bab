"""Copy the NHS.UK frontend build from node_modules into var/vendor/nhsuk for Django's static files.

The stylesheet's @font-face rules load Frutiger from the NHS CDN; Candour serves nothing from a CDN
(and its CSP would block it), so those rules are dropped and the design system's fallback fonts apply.
"""

import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"
TARGET = ROOT / "var" / "vendor" / "nhsuk"
FONT_FACE = re.compile(r"@font-face\{[^}]*https?://[^}]*\}")


def main() -> int:
    if not SOURCE.is_dir():
        print("node_modules/nhsuk-frontend is missing: run `npm ci` first.", file=sys.stderr)
        return 1
    if TARGET.exists():
        shutil.rmtree(TARGET)
    shutil.copytree(SOURCE, TARGET, ignore=shutil.ignore_patterns("*.map", "*.d.mts", "*.d.ts"))
    for css in TARGET.glob("*.css"):
        css.write_text(FONT_FACE.sub("", css.read_text()))
    return 0


if __name__ == "__main__":
    sys.exit(main())

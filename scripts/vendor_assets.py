"""Copy the NHS.UK frontend build from node_modules into var/vendor/nhsuk for Django's static files.

The stylesheet's @font-face rules load Frutiger from the NHS CDN; Candour serves nothing from a CDN
(and its CSP would block it), so those rules are dropped and the design system's fallback fonts apply.

Only what pages load is copied: the minified stylesheet and script, their source maps, and the images. The
rest of the package (Sass, component modules, Nunjucks templates: over a thousand files) would be scanned
by WhiteNoise each time a test client starts, and served to no one. Source maps are kept: production's
manifest storage follows every `sourceMappingURL` a stylesheet or script names, and collectstatic fails on
one that is missing.
"""

import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"
TARGET = ROOT / "var" / "vendor" / "nhsuk"
BUNDLES = ("nhsuk-frontend.min.css", "nhsuk-frontend.min.js")
FONT_FACE = re.compile(r"@font-face\{[^}]*https?://[^}]*\}")


def main() -> int:
    if not SOURCE.is_dir():
        print("node_modules/nhsuk-frontend is missing: run `npm ci` first.", file=sys.stderr)
        return 1
    copy_design_system(SOURCE, TARGET)
    return 0


def copy_design_system(source: Path, target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source / "assets", target / "assets")
    for name in BUNDLES:
        for path in (source / name, source / f"{name}.map"):
            shutil.copy2(path, target / path.name)
    for css in target.glob("*.css"):
        css.write_text(FONT_FACE.sub("", css.read_text()))


if __name__ == "__main__":
    sys.exit(main())

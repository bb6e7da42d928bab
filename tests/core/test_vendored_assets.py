"""The design system's copy under var/vendor is whole: production's manifest storage follows every source map
that a stylesheet or script names, and refuses to start when one is missing."""

import re

from scripts import vendor_assets

SOURCE_MAP = re.compile(r"sourceMappingURL=([^\s*]+)")


def test_vendored_copy_keeps_every_source_map_its_files_name(tmp_path):
    target = tmp_path / "nhsuk"

    vendor_assets.copy_design_system(vendor_assets.SOURCE, target)

    missing = []
    for path in (*target.rglob("*.js"), *target.rglob("*.css")):
        for name in SOURCE_MAP.findall(path.read_text(errors="replace")):
            if not name.startswith("data:") and not (path.parent / name).is_file():
                missing.append(f"{path.relative_to(target)} -> {name}")
    assert missing == []


def test_vendored_stylesheets_load_no_font_from_a_cdn(tmp_path):
    target = tmp_path / "nhsuk"

    vendor_assets.copy_design_system(vendor_assets.SOURCE, target)

    assert not any(vendor_assets.FONT_FACE.search(css.read_text()) for css in target.glob("*.css"))


def test_vendored_copy_holds_what_pages_load_and_not_the_whole_package(tmp_path):
    target = tmp_path / "nhsuk"

    vendor_assets.copy_design_system(vendor_assets.SOURCE, target)

    copied = {path.relative_to(target).as_posix() for path in target.rglob("*") if path.is_file()}
    assert {"nhsuk-frontend.min.css", "nhsuk-frontend.min.js", "assets/images/favicon.svg"} <= copied
    # WhiteNoise scans every file each time a test client starts: the Sass and modules would be 1,200 more.
    assert not any(name.endswith((".scss", ".mjs", ".njk")) for name in copied)

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

"""The Making Data Count variation and assurance icons, drawn as small SVGs.

Each icon is a ring in the reading's colour with a letter and, for special causes, an arrow showing which
way the process moved. Icons are decoration for screen readers (`aria-hidden`): a text label always sits
beside them and says the same thing. There are a dozen of them, each drawn once.
"""

from __future__ import annotations

import functools

from markupsafe import Markup

from candour.core.spc import AssuranceIcon, VariationIcon

GREY = "#5e6b75"
BLUE = "#005eb8"
ORANGE = "#a84d00"
PURPLE = "#7030a0"
SIZE = 40

_OPEN = Markup(
    '<svg class="candour-spc-icon" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40" width="40" '
    'height="40" aria-hidden="true" focusable="false" data-icon="{icon}">'
    '<circle cx="20" cy="20" r="17" fill="#ffffff" stroke="{colour}" stroke-width="3"{dash}/>'
)

_VARIATION = {
    VariationIcon.IMPROVING_HIGH: (BLUE, "H", "up"),
    VariationIcon.IMPROVING_LOW: (BLUE, "L", "down"),
    VariationIcon.CONCERNING_HIGH: (ORANGE, "H", "up"),
    VariationIcon.CONCERNING_LOW: (ORANGE, "L", "down"),
    VariationIcon.NEITHER_HIGH: (PURPLE, "H", "up"),
    VariationIcon.NEITHER_LOW: (PURPLE, "L", "down"),
}
_ASSURANCE = {
    AssuranceIcon.CONSISTENTLY_PASS: (BLUE, "P"),
    AssuranceIcon.CONSISTENTLY_FAIL: (ORANGE, "F"),
}


def _open(icon: str, colour: str, *, dashed: bool = False) -> Markup:
    dash = Markup(' stroke-dasharray="4 3"') if dashed else ""
    return _OPEN.format(icon=icon, colour=colour, dash=dash)


def _letter(letter: str, colour: str, x: float = 20) -> Markup:
    return Markup(
        '<text x="{}" y="26" text-anchor="middle" font-size="17" font-weight="bold" '
        'font-family="Arial, sans-serif" fill="{}">{}</text>'
    ).format(x, colour, letter)


def _arrow(direction: str, colour: str) -> Markup:
    # A short shaft with a head, to the right of the letter.
    if direction == "up":
        return Markup(
            '<path d="M28 26 V14 M24.5 17.5 L28 13.5 L31.5 17.5" fill="none" stroke="{}" stroke-width="2.5" '
            'stroke-linecap="round" stroke-linejoin="round"/>'
        ).format(colour)
    return Markup(
        '<path d="M28 14 V26 M24.5 22.5 L28 26.5 L31.5 22.5" fill="none" stroke="{}" stroke-width="2.5" '
        'stroke-linecap="round" stroke-linejoin="round"/>'
    ).format(colour)


@functools.cache
def variation_icon(icon: VariationIcon) -> Markup:
    """The variation icon: grey for common cause; blue, orange or purple with H or L for special cause."""
    icon = VariationIcon(icon)
    if icon == VariationIcon.NONE:
        return _open(icon, GREY, dashed=True) + Markup("</svg>")
    if icon == VariationIcon.COMMON_CAUSE:
        dots = Markup("").join(
            Markup('<circle cx="{}" cy="{}" r="2.6" fill="{}"/>').format(x, y, GREY)
            for x, y in ((10, 22), (16, 17), (22, 23), (28, 18))
        )
        line = Markup(
            '<polyline points="10,22 16,17 22,23 28,18" fill="none" stroke="{}" stroke-width="1.5"/>'
        ).format(GREY)
        return _open(icon, GREY) + line + dots + Markup("</svg>")
    colour, letter, direction = _VARIATION[icon]
    return _open(icon, colour) + _letter(letter, colour, x=16) + _arrow(direction, colour) + Markup("</svg>")


@functools.cache
def assurance_icon(icon: AssuranceIcon) -> Markup:
    """The assurance icon: P (consistently passing), F (consistently failing), or a wave across a dashed
    target line (hit or miss)."""
    icon = AssuranceIcon(icon)
    if icon == AssuranceIcon.NONE:
        return _open(icon, GREY, dashed=True) + Markup("</svg>")
    if icon == AssuranceIcon.HIT_OR_MISS:
        target = Markup(
            '<line x1="7" y1="20" x2="33" y2="20" stroke="{}" stroke-width="2" stroke-dasharray="3 2"/>'
        ).format(GREY)
        wave = Markup(
            '<path d="M8 24 Q13 10 18 20 T28 17 T33 15" fill="none" stroke="{}" stroke-width="2.5" '
            'stroke-linecap="round"/>'
        ).format(GREY)
        return _open(icon, GREY) + target + wave + Markup("</svg>")
    colour, letter = _ASSURANCE[icon]
    return _open(icon, colour) + _letter(letter, colour) + Markup("</svg>")

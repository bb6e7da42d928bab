"""Comparing two pages as a person (or an attacker) would: without the tokens that differ on every render."""

import re

_TOKENS = re.compile(r'name="(csrfmiddlewaretoken|submission)" value="[^"]+"')


def without_tokens(html: str) -> str:
    """The page with its CSRF and one-time submission tokens blanked."""
    return _TOKENS.sub(r'name="\1" value=""', html)

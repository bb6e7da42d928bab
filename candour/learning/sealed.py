"""Files kept encrypted at rest, with the keys that encrypt sensitive text (core.encryption): a file that
holds people's details (a cohort's transfer packs) must not sit readable on the server's disk.

A sealed file is `enc1:<key id>:` then the nonce and AES-GCM's output. The newest key seals; any key the
keyring still holds opens. Files are short-lived, so rotating keys needs nothing more.
"""

from __future__ import annotations

import os

from candour.core.encryption import NONCE_BYTES, PREFIX, keyring


def seal(content: bytes) -> bytes:
    ring = keyring()
    nonce = os.urandom(NONCE_BYTES)
    header = f"{PREFIX}:{ring.primary_id}:".encode()
    return header + nonce + ring.keys[ring.primary_id].encrypt(nonce, content, None)


def unseal(sealed: bytes) -> bytes:
    prefix, key_id, body = sealed.split(b":", 2)
    if prefix.decode() != PREFIX:
        raise ValueError("not a sealed file")
    key = keyring().keys[key_id.decode()]
    return key.decrypt(body[:NONCE_BYTES], body[NONCE_BYTES:], None)

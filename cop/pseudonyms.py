"""Stable pseudonyms for people in research views and exports (no Flask here)."""

from __future__ import annotations

import hashlib
import hmac


def pseudonym(secret_key: str, person_id: int) -> str:
    """A stable pseudonym: the same person always gets the same one, and it reveals nothing.

    Keyed with the application's secret, so that nobody holding an export can turn the pseudonyms
    back into database ids by hashing every id themselves."""
    digest = hmac.new(secret_key.encode(), f"person:{person_id}".encode(), hashlib.sha256)
    return "P-" + digest.hexdigest()[:10]

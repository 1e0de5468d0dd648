"""What a client may read from a JWT it was handed: when it expires.

A token endpoint that answers a JWT without ``expires_in`` (Airflow 3's ``/auth/token``)
still says when the token ends, in the ``exp`` claim of its payload. The client has no key
to verify the signature and needs none: the claim is only used to ask for a new token
shortly before the server would refuse the old one, never to trust the token.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import time

__all__ = ["jwt_lifetime"]


def jwt_lifetime(token: str, *, now: float | None = None) -> float | None:
    """Seconds until the ``exp`` claim of JWT ``token`` (read, not verified); ``None`` when
    the token is not a JWT, has no numeric ``exp``, or has already expired by our clock
    (then the server's 401 decides, as our clock may be the one that is wrong)."""
    parts = token.split(".")
    if len(parts) != 3 or not parts[1]:
        return None
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload.encode("ascii")))
    except (ValueError, binascii.Error, UnicodeError):
        return None
    expires = claims.get("exp") if isinstance(claims, dict) else None
    if isinstance(expires, bool) or not isinstance(expires, (int, float)):
        return None
    left = float(expires) - (time.time() if now is None else now)
    return left if math.isfinite(left) and left > 0 else None

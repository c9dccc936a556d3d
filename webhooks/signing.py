"""The signature on every delivery: `X-Newsroom-Signature: sha256=<hex>`, the HMAC-SHA256 of the exact body bytes
keyed with the endpoint's secret (UTF-8). The body carries the delivery's id and its timestamp, so both are
signed: a receiver that checks the timestamp is recent and remembers the ids it has seen refuses replays."""

import hashlib
import hmac

SIGNATURE_HEADER = "X-Newsroom-Signature"
PREFIX = "sha256="


def signature(secret, body):
    return PREFIX + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def is_signed_by(secret, body, header):
    """Whether `header` is the signature of `body` with `secret` (compared in constant time)."""
    return hmac.compare_digest(signature(secret, body).encode(), (header or "").encode("utf-8", "replace"))

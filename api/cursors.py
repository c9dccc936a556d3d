"""Cursors for the API's lists: where the last page ended, as an opaque token the next request sends back.

A page after a cursor holds the rows that sort after that row, so rows added meanwhile (a story published
since the first page, which sorts first) never shift what the next page holds: no row is repeated or skipped.
"""

import base64
import binascii
import datetime
import json

LONGEST = 400
BIGGEST_KEY = 2**63 - 1


class BadCursor(ValueError):
    """Not a cursor this API gave."""


def encode(*values):
    """A token for a position: datetimes as ISO text, then strings and integers as they are."""
    plain = [value.isoformat() if isinstance(value, datetime.datetime) else value for value in values]
    text = json.dumps(plain, separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode(token, *kinds):
    """The values of a token made by `encode` from values of these kinds (datetime, str or int), or BadCursor."""
    if not token or len(token) > LONGEST or not token.isascii():
        raise BadCursor(token)
    try:
        values = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (binascii.Error, ValueError) as exc:
        raise BadCursor(token) from exc
    if not isinstance(values, list) or len(values) != len(kinds):
        raise BadCursor(token)
    return [read(value, kind, token) for value, kind in zip(values, kinds, strict=True)]


def read(value, kind, token):
    if kind is datetime.datetime and isinstance(value, str):
        try:
            moment = datetime.datetime.fromisoformat(value)
        except ValueError as exc:
            raise BadCursor(token) from exc
        if moment.tzinfo is not None:
            return moment
    is_key = kind is int and type(value) is int and 0 < value <= BIGGEST_KEY
    if is_key or (kind is str and isinstance(value, str) and "\x00" not in value):
        return value
    raise BadCursor(token)

"""One POST to a partner, with a timeout, to a checked address, following no redirect."""

import http.client
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from .addresses import RefusedAddress, connect_checked

# What the delivery log keeps of a partner's answer.
ANSWER_EXCERPT_BYTES = 300


@dataclass
class Answer:
    status: int | None  # the HTTP status, None when no answer came
    error: str  # empty on success

    @property
    def ok(self):
        return self.status is not None and 200 <= self.status < 300


def post(url, body, headers):
    parts = urlsplit(url)
    timeout = settings.WEBHOOK_TIMEOUT_SECONDS
    try:
        host = parts.hostname.encode("idna").decode("ascii")  # a name in any script, as DNS and Host: take it
    except UnicodeError:
        return Answer(None, f"The host name {parts.hostname} cannot be looked up.")
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(
            host, parts.port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(host, parts.port, timeout=timeout)
    # http.client opens its socket through this attribute (set in __init__): the address it connects to is the
    # one that was checked.
    connection._create_connection = connect_checked
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", target, body=body, headers=headers)
        response = connection.getresponse()
        excerpt = response.read(ANSWER_EXCERPT_BYTES).decode("utf-8", "replace")
    except TimeoutError:
        return Answer(None, f"No answer within {timeout:g} s.")
    except RefusedAddress as refused:
        return Answer(None, str(refused))
    except ConnectionRefusedError:
        return Answer(None, "Connection refused.")
    except ssl.SSLError as failed:
        return Answer(None, f"TLS failed: {failed}")
    except (OSError, http.client.HTTPException, ValueError) as failed:
        return Answer(None, f"{type(failed).__name__}: {failed}".strip())
    finally:
        connection.close()
    if 200 <= response.status < 300:
        return Answer(response.status, "")
    if 300 <= response.status < 400:
        moved_to = response.getheader("Location", "")
        return Answer(response.status, f"HTTP {response.status}: redirects are not followed ({moved_to}).")
    return Answer(response.status, f"HTTP {response.status} {response.reason}: {excerpt}".strip())

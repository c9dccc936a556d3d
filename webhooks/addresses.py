"""Which addresses the worker may post to: http(s) URLs of public hosts (docs/webhooks.md, "Addresses").

An endpoint's URL is checked twice. When an admin saves it: the form of the URL, and a host written as a
private address. When the worker posts: every address the host resolves to at that moment, and the connection
goes to the address that was checked, so a name that resolves elsewhere later (DNS rebinding) gains nothing.
`WEBHOOK_ALLOW_PRIVATE_ADDRESSES` lets loopback and private networks through (tests, partners on your own network).
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

URL_FORM = URLValidator(schemes=["http", "https"])


class RefusedAddress(Exception):
    """The endpoint's host is, or resolves to, an address the worker may not post to."""


def is_public(address):
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def may_post_to(address):
    return settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES or is_public(address)


def validate_endpoint_url(url):
    """An http(s) URL with a host, no credentials in it, and no private address written as its host."""
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme not in {"http", "https"}:
        raise ValidationError("Use an http:// or https:// address.", code="scheme")
    try:
        if any(character.isspace() or not character.isprintable() for character in url):
            raise ValidationError("control characters")
        URL_FORM(url)
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError for a port out of range)
    except (ValidationError, ValueError):
        raise ValidationError(
            "This is not a complete web address, e.g. https://partner.example/newsroom-hook.", code="invalid"
        ) from None
    if parts.username or parts.password:
        raise ValidationError(
            "Leave the user name and password out of the address: deliveries are signed with the secret instead.",
            code="credentials",
        )
    host = parts.hostname or ""
    written = "127.0.0.1" if host == "localhost" or host.endswith(".localhost") else host
    try:
        literal = ipaddress.ip_address(written)
    except ValueError:
        return
    if not may_post_to(str(literal)):
        raise ValidationError(
            f"{host} is a private or reserved address; deliveries go to public addresses only.", code="private"
        )


def connect_checked(address, timeout=None, source_address=None, *args, **kwargs):
    """Open a connection as `socket.create_connection` does, after checking every address the host resolves to."""
    host, port = address
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    refused = [info[4][0] for info in found if not may_post_to(info[4][0])]
    if refused:
        raise RefusedAddress(f"{host} resolves to {refused[0]}, a private or reserved address: not posted")
    error = OSError(f"{host} has no address")
    for family, kind, proto, _, sockaddr in found:
        sock = socket.socket(family, kind, proto)
        try:
            sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(sockaddr)
            return sock
        except OSError as failed:
            sock.close()
            error = failed
    raise error

"""Pure: the addresses students on this network type to reach this server.

The machine's addresses are read from its network interfaces (psutil's `net_if_addrs`, which
asks the operating system and sends nothing). `socket.getaddrinfo(socket.gethostname())` is
only the fallback: on Debian and Ubuntu the hostname maps to 127.0.1.1 in /etc/hosts, so it
often finds no address students can reach. No packet is ever sent to find an address.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable

WILDCARDS = {"", "0.0.0.0", "::"}  # noqa: S104  # nosec B104 (recognised, not bound)
LOOPBACK_NOTE = ("Students cannot reach {host}: only this computer can. To serve a class, "
                 "start with --host 0.0.0.0")
NO_ADDRESS_NOTE = ("This computer has no network address students can reach: connect it to "
                   "the school network.")


def interface_addresses() -> list[str]:
    """List every address of this machine's network interfaces that are up."""
    try:
        import psutil

        stats = psutil.net_if_stats()
        return [a.address for name, addrs in psutil.net_if_addrs().items()
                if stats.get(name) is None or stats[name].isup
                for a in addrs if a.family in (socket.AF_INET, socket.AF_INET6)]
    except (ImportError, OSError, RuntimeError):  # psutil missing, or refused by the system
        try:
            infos = socket.getaddrinfo(socket.gethostname(), None)
        except OSError:
            return []
        return list(dict.fromkeys(str(info[4][0]) for info in infos))


def reachable(addresses: Iterable[str], ipv6: bool) -> list[ipaddress.IPv4Address
                                                             | ipaddress.IPv6Address]:
    """Keep the addresses another machine can use: no loopback, no link-local, no duplicates."""
    kept = []
    for text in addresses:
        # A link-local IPv6 address carries its interface ("fe80::1%eth0"); browsers cannot
        # open such an address, so it is dropped below anyway.
        try:
            ip = ipaddress.ip_address(text.split("%")[0])
        except ValueError:
            continue
        if ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_unspecified:
            continue
        if ip.version == 6 and not ipv6:
            continue
        if ip not in kept:
            kept.append(ip)
    # IPv4 first: it is shorter to type.
    return sorted(kept, key=lambda ip: ip.version)


def url(host: str, port: int, scheme: str = "http") -> str:
    """Return the address of the site's home on a host, brackets around IPv6."""
    if ":" in host:
        host = f"[{host}]"
    default = (scheme, port) in (("http", 80), ("https", 443))
    return f"{scheme}://{host}/" if default else f"{scheme}://{host}:{port}/"


def is_loopback(host: str) -> bool:
    """Tell whether a host name or address means this machine only."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def student_addresses(host: str, port: int,
                      source: Callable[[], Iterable[str]] | None = None,
                      scheme: str = "http") -> list[str]:
    """Give the URLs students can open for a server listening on *host* and *port*.

    A wildcard host gives every address of the machine (IPv6 ones only for "::", since
    "0.0.0.0" listens on IPv4 alone); a loopback host gives none (nobody else can reach it);
    any other host is the one address to use.
    """
    host = host.strip("[]")
    if host in WILDCARDS:
        found = (source or interface_addresses)()
        return [url(str(ip), port, scheme) for ip in reachable(found, ipv6=host == "::")]
    if is_loopback(host):
        return []
    return [url(host, port, scheme)]


def start_up_lines(host: str, port: int,
                   source: Callable[[], Iterable[str]] | None = None) -> list[str]:
    """Say, for the start-up message, where students can open SourceCheck."""
    addresses = student_addresses(host, port, source)
    if addresses:
        return [f"Students can open: {address}" for address in addresses]
    if is_loopback(host.strip("[]")):
        return [LOOPBACK_NOTE.format(host=host)]
    return [NO_ADDRESS_NOTE]


def split_host(request_host: str, scheme: str) -> tuple[str, int]:
    """Split a Host header ("10.0.0.5:8080", "[fd00::2]", "example.org") into host and port."""
    host, colon, port_text = request_host.rpartition(":")
    if not colon or "]" in port_text:  # no port given
        host, port_text = request_host, ""
    port = int(port_text) if port_text.isdigit() else (443 if scheme == "https" else 80)
    return host.strip("[]"), port


def page_addresses(request_host: str, scheme: str, path: str,
                   source: Callable[[], Iterable[str]] | None = None) -> list[str]:
    """Give the URLs of *path* for students, from the host a teacher's browser used.

    Opened through a network address, that address is the one students type too. Opened
    through localhost, the machine's IPv4 addresses on the same port are (students' devices
    reach them if the server listens on all of them: `serve --host 0.0.0.0`).
    """
    host, port = split_host(request_host, scheme)
    if is_loopback(host):
        host = "0.0.0.0"  # noqa: S104  # nosec B104 (every address: nothing binds)
    return [base + path.lstrip("/") for base in student_addresses(host, port, source, scheme)]


def qr_svg(text: str) -> str:
    """Draw *text* as a QR code: an inline SVG element with no style attribute (the CSP)."""
    import segno

    svg = segno.make(text, error="m").svg_inline(scale=1, border=4, omitsize=True,
                                                  svgclass="qr-code", lineclass=None)
    # The address is written beside the code, so the drawing adds nothing for a screen reader.
    return svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)

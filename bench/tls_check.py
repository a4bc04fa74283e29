"""What each TLS listener of the TLS family actually negotiates, checked before any timed run
with `openssl s_client` (two connections: a full handshake that saves the session, then one
that offers it back), so that "configured the same way" is shown, not assumed.

Each connection sends exactly what openssl s_time sends in scenarios tn and tnr (s_time_request)
and reads to the server's close: its status line proves that s_time's connections get the
object, not an error.
"""

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tls_certs import Certificates

TIMEOUT_S = 15


def s_time_www(path: str) -> str:
    """The `-www` argument that makes openssl s_time send an HTTP/1.1 request with a Host
    field and Connection: close. s_time writes `GET <www> HTTP/1.0` and an empty line, without
    Host: with that, every HAProxy connection of a smoke run went to the origin (its cache
    answered none), and a server may refuse a request without Host. The argument ends the
    request line itself, adds the two fields, and leaves s_time's " HTTP/1.0" as the value of
    a field of its own."""
    return f"{path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nX-Bench-Pad:"


def s_time_request(path: str) -> bytes:
    """What s_time sends with -www s_time_www(path): its format is "GET %s HTTP/1.0" + CRLF CRLF."""
    return f"GET {s_time_www(path)} HTTP/1.0\r\n\r\n".encode()


@dataclass
class Negotiated:
    protocol: str = "?"
    cipher: str = "?"
    group: str = "?"              # the key exchange, s_client's "Server Temp Key"
    signature: str = "?"          # the server's handshake signature
    verified: bool = False        # the chain verified against the bench CA for localhost
    status: str = "?"             # the response's status line
    tickets_full: int = 0         # session tickets after a full handshake
    resumed: bool = False         # the second connection resumed the first one's session
    tickets_resumed: int = 0      # session tickets after the resumption
    problem: str | None = None

    def row(self, name: str) -> str:
        return (f"| {name} | {self.protocol} | {self.cipher} | {self.group} | {self.signature} | "
                f"{'yes' if self.verified else 'NO'} | {self.tickets_full} | "
                f"{'yes' if self.resumed else 'NO'} | {self.tickets_resumed} | {self.status} |")


TABLE_HEAD = ["| server | protocol | ciphersuite | key exchange | signature | verified | "
              "tickets (full) | resumed | tickets (resumed) | s_time's request |",
              "|---|---|---|---|---|---|---:|---|---:|---|"]


def _s_client(port: int, certs: Certificates, request: bytes, session: Path,
              resume: bool) -> str:
    argv = ["timeout", "-k", "5", str(TIMEOUT_S), "openssl", "s_client",
            "-connect", f"127.0.0.1:{port}", "-servername", "localhost",
            "-verify_hostname", "localhost", "-CAfile", str(certs.ca), "-verify_return_error",
            "-ign_eof", "-sess_in" if resume else "-sess_out", str(session)]
    try:
        done = subprocess.run(argv, input=request, capture_output=True, timeout=TIMEOUT_S + 10)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"s_client failed: {error}"
    return " ".join(argv) + "\n\n" + (done.stdout + done.stderr).decode(errors="replace")


def _search(pattern: str, text: str) -> str:
    match = re.search(pattern, text, re.M)
    return match.group(1).strip() if match else "?"


def check(port: int, path: str, certs: Certificates, work_dir: Path, log: Path) -> Negotiated:
    """Two s_client connections to 127.0.0.1:port; their output goes to `log`."""
    request = s_time_request(path)
    session = work_dir / f"s_client-{port}.session"
    first = _s_client(port, certs, request, session, resume=False)
    second = _s_client(port, certs, request, session, resume=True) if session.exists() else ""
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(first + "\n\n========== resumption ==========\n\n" + second)
    result = Negotiated(
        protocol=_search(r"^(?:New|Reused), (TLSv[\d.]+),", first),
        cipher=_search(r"^(?:New|Reused), TLSv[\d.]+, Cipher is (\S+)", first),
        group=_search(r"^Server Temp Key: ([^,\n]+)", first),
        signature=_search(r"^Peer signature type: (.+)$", first),
        verified="Verify return code: 0 (ok)" in first,
        status=_search(r"^(HTTP/1\.[01] .*)$", first).rstrip("\r"),
        tickets_full=first.count("Post-Handshake New Session Ticket arrived"),
        resumed=bool(re.search(r"^Reused, TLSv1\.3", second, re.M)),
        tickets_resumed=second.count("Post-Handshake New Session Ticket arrived"),
    )
    problems = []
    if result.protocol != "TLSv1.3":
        problems.append(f"protocol {result.protocol}")
    if not result.verified:
        problems.append("certificate not verified")
    if not result.status.split(" ")[1:2] == ["200"]:
        problems.append(f"s_time's request answered {result.status!r}")
    if not result.resumed:
        problems.append("session not resumed")
    result.problem = "; ".join(problems) or None
    return result

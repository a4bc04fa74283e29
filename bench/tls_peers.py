"""The servers of the TLS family (scripts/bench.sh tls), pinned to the server core, and the
HTTPS origin they all sit in front of:

- cachet, nginx, haproxy: a caching proxy whose listener speaks TLS 1.3 with the bench
  certificate (bench/tls_certs.py), in front of the HTTPS origin over a kept-alive pool of
  verified TLS connections;
- cachet-http: cachet over plain HTTP in front of the plain bench origin, for scenario ta only:
  the default family's scenario a, the yardstick the issue divides cachet's TLS hit by;
- TlsOrigin (not a peer): HAProxy terminating TLS in front of the bench origin on the client
  core, so every peer's misses reach the same HTTPS origin, and counting the TLS connections
  the peers open to it.

Configs are rendered from bench/conf/{nginx-tls.conf.in,haproxy-tls.cfg.in,
haproxy-tls-origin.cfg.in} into the results' conf/, as the default family does.
"""

import getpass
import socket
import ssl
import subprocess
import time
from pathlib import Path

import http_client
from peers import START_DEADLINE_S, Cachet, Haproxy, Nginx, Peer, Setup, first_line, free_port, \
    render
from scenarios import Scenario
from supervisor import StartError, Supervisor
from tls_certs import Certificates

HTTP_SCENARIO = "ta"   # the only scenario cachet-http serves


def client_context(certs: Certificates) -> ssl.SSLContext:
    """What the driver's own HTTPS client (readiness, warm-up) accepts: TLS 1.3, the bench
    CA, the name localhost."""
    context = ssl.create_default_context(cafile=str(certs.ca))
    context.minimum_version = ssl.TLSVersion.TLSv1_3
    return context


class TlsSetup(Setup):
    """Setup plus what only the TLS family has: the certificates, the HTTPS origin's port and
    the client context for checking the peers."""

    def __init__(self, base: Setup, certs: Certificates, tls_origin_port: int) -> None:
        super().__init__(**base.__dict__)
        self.certs = certs
        self.tls_origin_port = tls_origin_port
        self.client_tls = client_context(certs)


class TlsOrigin:
    """HAProxy on the client core: TLS 1.3 with the bench certificate in front of the plain
    bench origin. Its stats socket says how many TLS connections it has accepted."""

    def __init__(self, setup: Setup, certs: Certificates, cpu: int) -> None:
        self.setup = setup
        self.certs = certs
        self.cpu = cpu
        self.port = 0
        self.process: subprocess.Popen | None = None
        self.stats_socket = setup.work_dir / "tls-origin.sock"
        self.log = setup.results_dir / "logs" / "tls-origin.log"

    def start(self, supervisor: Supervisor) -> int:
        self.port = free_port()
        conf = render(self.setup.conf_dir / "haproxy-tls-origin.cfg.in",
                      self.setup.results_dir / "conf" / "haproxy-tls-origin.cfg",
                      {"PORT": str(self.port), "ORIGIN_PORT": str(self.setup.origin_port),
                       "BUNDLE": str(self.certs.bundle),
                       "STATS_SOCKET": str(self.stats_socket)})
        self.process = supervisor.start("tls-origin", ["haproxy", "-f", str(conf), "-db"],
                                        self.log, self.cpu)
        end = time.monotonic() + START_DEADLINE_S
        context = client_context(self.certs)
        while time.monotonic() < end:
            if self.process.poll() is not None:
                raise StartError(f"the HTTPS origin exited with status "
                                 f"{self.process.returncode} (see {self.log})")
            try:
                if http_client.get(self.port, "/__count", context).status == 200:
                    return self.port
            except (OSError, http_client.HttpError):
                pass
            time.sleep(0.1)
        raise StartError(f"the HTTPS origin did not answer within {START_DEADLINE_S:.0f} s "
                         f"(see {self.log})")

    def tls_connections(self) -> int:
        """TLS connections accepted since start (HAProxy's CumSslConns), or -1 if unknown."""
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                s.settimeout(5)
                s.connect(str(self.stats_socket))
                s.sendall(b"show info\n")
                data = b""
                while chunk := s.recv(65536):
                    data += chunk
        except OSError:
            return -1
        for line in data.decode(errors="replace").splitlines():
            name, _, value = line.partition(":")
            if name.strip() == "CumSslConns" and value.strip().isdigit():
                return int(value)
        return -1

    def version(self) -> str:
        version = first_line(["haproxy", "-v"]).split(" - ")[0]
        return (f"{version}, nbthread 1 on core {self.cpu}: TLS 1.3 with the bench certificate "
                f"in front of the bench origin (plain HTTP, http-reuse always), no cache")


class CachetTls(Peer):
    """cachet whose --listen listener speaks TLS; its origin is the HTTPS origin, verified
    against the bench CA. The URL's host is the name verified and sent as SNI, so it is
    localhost (which cachet resolves), not 127.0.0.1."""

    name = "cachet"

    def start(self) -> None:
        self.tls = self.setup.client_tls
        self.port = free_port()
        certs = self.setup.certs
        self._launch([str(self.setup.build_dir / "cachet"),
                      "--origin", f"https://localhost:{self.setup.tls_origin_port}",
                      "--origin-ca", str(certs.ca),
                      "--listen", f"127.0.0.1:{self.port}",
                      "--tls-cert", str(certs.cert), "--tls-key", str(certs.key),
                      "--workers", "1", "--cache-size", self.setup.cachet_cache_size,
                      "--admin", "127.0.0.1:0"])
        self._await_http()

    def version(self) -> str:
        commit = first_line(["git", "-C", str(self.setup.conf_dir), "rev-parse", "--short",
                             "HEAD"])
        return (f"cachet {commit} (--workers 1 --cache-size {self.setup.cachet_cache_size} "
                f"--tls-cert/--tls-key; --origin https://localhost:PORT --origin-ca)")


class CachetHttp(Cachet):
    """cachet over plain HTTP before the plain bench origin: scenario a's hit, timed in ta."""

    name = "cachet-http"

    def serves(self, scenario: Scenario) -> bool:
        return scenario.name == HTTP_SCENARIO

    def version(self) -> str:
        return super().version() + ", plain HTTP (scenario a's hit, the yardstick of ta)"


class NginxTls(Nginx):
    def start(self) -> None:
        self.tls = self.setup.client_tls
        self.port = free_port()
        self.dir = self.setup.work_dir / "nginx-tls"
        (self.dir / "cache").mkdir(parents=True, exist_ok=True)
        certs = self.setup.certs
        conf = render(self.setup.conf_dir / "nginx-tls.conf.in",
                      self.setup.results_dir / "conf" / "nginx-tls.conf",
                      {"PORT": str(self.port),
                       "TLS_ORIGIN_PORT": str(self.setup.tls_origin_port),
                       "DIR": str(self.dir), "USER": getpass.getuser(),
                       "CERT": str(certs.cert), "KEY": str(certs.key), "CA": str(certs.ca)})
        self._launch(["nginx", "-c", str(conf), "-e", str(self._log("nginx-error"))])
        self._await_http()

    def version(self) -> str:
        return first_line(["nginx", "-v"]).replace("nginx version: ", "") + \
            (" (worker_processes 1, proxy_cache; ssl_protocols TLSv1.3, tickets on; "
             "proxy_pass https:// with keepalive 64, proxy_ssl_verify on, session reuse)")


class HaproxyTls(Haproxy):
    def start(self) -> None:
        self.tls = self.setup.client_tls
        self.port = free_port()
        self.cache_mb = 64
        certs = self.setup.certs
        conf = render(self.setup.conf_dir / "haproxy-tls.cfg.in",
                      self.setup.results_dir / "conf" / "haproxy-tls.cfg",
                      {"PORT": str(self.port),
                       "TLS_ORIGIN_PORT": str(self.setup.tls_origin_port),
                       "CACHE_MB": str(self.cache_mb), "BUNDLE": str(certs.bundle),
                       "CA": str(certs.ca)})
        self._launch(["haproxy", "-f", str(conf), "-db"])
        self._await_http()

    def version(self) -> str:
        version = first_line(["haproxy", "-v"]).split(" - ")[0]
        return (f"{version} (nbthread 1, cache total-max-size {self.cache_mb} MiB; bind ssl "
                f"ssl-min-ver TLSv1.3, tickets on; server ssl verify required, http-reuse "
                f"always)")


TLS_PEER_TYPES = {cls.name: cls for cls in (CachetTls, NginxTls, HaproxyTls, CachetHttp)}

# The binary each peer needs from the build (the others come from Debian).
NEEDS_CACHET = {"cachet", "cachet-http"}

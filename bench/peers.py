"""The servers under test, each started once, pinned to the server core, in front of the same
benchmark origin: cachet, nginx, HAProxy, Varnish, and the limit server (no cache: the floor).

A peer knows how to start itself from bench/conf/<name>.* templates, which port and process tree
serve a scenario, and whether a scenario means anything for it. Rendered configs and logs go to
the results directory so that a run can be reproduced and its failures read.
"""

import getpass
import os
import re
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import http_client
from measure import process_tree
from scenarios import Scenario
from supervisor import StartError, Supervisor, wait_for_line

START_DEADLINE_S = 30.0


@dataclass
class Setup:
    """What every peer needs to start; owned by the driver."""

    build_dir: Path
    conf_dir: Path        # bench/conf: templates
    work_dir: Path        # temp dir: caches, Varnish's work dir (removed at exit)
    results_dir: Path     # rendered configs in conf/, process logs in logs/
    origin_port: int
    server_cpu: int
    supervisor: Supervisor
    big: bool
    cachet_cache_size: str


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def render(template: Path, out: Path, values: dict[str, str]) -> Path:
    text = template.read_text()
    for name, value in values.items():
        text = text.replace(f"@{name}@", value)
    left = sorted(set(re.findall(r"@[A-Z_]+@", text)))
    if left:
        raise StartError(f"{template}: no value for {', '.join(left)}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    return out


def first_line(argv: list[str]) -> str:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    lines = (done.stdout + done.stderr).strip().splitlines()
    return lines[0] if lines else "?"


class Peer:
    name = ""
    caches = True   # False: answers without an origin, nothing to warm
    tls = None      # an ssl.SSLContext when the peer's listener speaks TLS (the TLS family)

    def __init__(self, setup: Setup) -> None:
        self.setup = setup
        self.port = 0
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        raise NotImplementedError

    def version(self) -> str:
        raise NotImplementedError

    def serves(self, scenario: Scenario) -> bool:
        return True

    def port_for(self, scenario: Scenario) -> int:
        return self.port

    def path_for(self, scenario: Scenario) -> str:
        """The URL path wrk requests; a peer that keeps a variant of an object elsewhere (a
        delayed stub) says so here."""
        return scenario.path

    def url_for(self, scenario: Scenario) -> str:
        """The URL wrk loads: https:// for a peer whose listener speaks TLS."""
        scheme = "https" if self.tls else "http"
        return f"{scheme}://127.0.0.1:{self.port_for(scenario)}{self.path_for(scenario)}"

    def pids(self, scenario: Scenario) -> list[int]:
        return process_tree(self.process.pid)

    def processes(self) -> list[subprocess.Popen]:
        """Every process the peer started (most run one)."""
        return [self.process]

    def alive(self) -> bool:
        """False once a process of the peer has exited."""
        return all(p.poll() is None for p in self.processes())

    def disk_note(self) -> str:
        """What the peer keeps outside its memory (nginx's cache files), or ""."""
        return ""

    def _log(self, name: str | None = None) -> Path:
        return self.setup.results_dir / "logs" / f"{name or self.name}.log"

    def _launch(self, argv: list[str]) -> None:
        self.process = self.setup.supervisor.start(self.name, argv, self._log(),
                                                   self.setup.server_cpu)

    def _await_http(self) -> None:
        """Ready when a request through the peer reaches the origin's /__count (not counted
        by the origin, and no-store, so it changes nothing)."""
        end = time.monotonic() + START_DEADLINE_S
        while time.monotonic() < end:
            if self.process.poll() is not None:
                raise StartError(f"exited with status {self.process.returncode} "
                                 f"(see {self._log()})")
            try:
                if http_client.get(self.port, "/__count", self.tls).status == 200:
                    return
            except (OSError, http_client.HttpError):
                pass
            time.sleep(0.1)
        raise StartError(f"did not answer within {START_DEADLINE_S:.0f} s (see {self._log()})")


class Cachet(Peer):
    name = "cachet"

    def start(self) -> None:
        self.port = free_port()
        self._launch([str(self.setup.build_dir / "cachet"),
                      "--origin", f"http://127.0.0.1:{self.setup.origin_port}",
                      "--listen", f"127.0.0.1:{self.port}",
                      "--workers", "1", "--cache-size", self.setup.cachet_cache_size,
                      "--admin", "127.0.0.1:0"])
        wait_for_line(self.process, self._log(), r"cachet listening on", START_DEADLINE_S)

    def version(self) -> str:
        commit = first_line(["git", "-C", str(self.setup.conf_dir), "rev-parse", "--short",
                             "HEAD"])
        return f"cachet {commit} (--workers 1 --cache-size {self.setup.cachet_cache_size})"


class Nginx(Peer):
    name = "nginx"

    def start(self) -> None:
        self.port = free_port()
        self.dir = self.setup.work_dir / "nginx"
        (self.dir / "cache").mkdir(parents=True, exist_ok=True)
        conf = render(self.setup.conf_dir / "nginx.conf.in",
                      self.setup.results_dir / "conf" / "nginx.conf",
                      {"PORT": str(self.port), "ORIGIN_PORT": str(self.setup.origin_port),
                       "DIR": str(self.dir), "USER": getpass.getuser()})
        self._launch(["nginx", "-c", str(conf), "-e", str(self._log("nginx-error"))])
        self._await_http()

    def version(self) -> str:
        return first_line(["nginx", "-v"]).replace("nginx version: ", "") + \
            " (worker_processes 1, proxy_cache keys_zone 256m, files under a temp dir)"

    def disk_note(self) -> str:
        blocks = files = 0
        for root, _, names in os.walk(self.dir / "cache"):
            for n in names:
                try:
                    blocks += os.stat(os.path.join(root, n)).st_blocks
                    files += 1
                except OSError:
                    pass
        return f"cache files: {files:,}, {blocks * 512 / 2**20:.1f} MiB on disk (page cache)"


class Haproxy(Peer):
    name = "haproxy"

    def start(self) -> None:
        self.port = free_port()
        # Allocated (and touched) in full at start: sized for the working set, not beyond.
        self.cache_mb = 4095 if self.setup.big else 64
        conf = render(self.setup.conf_dir / "haproxy.cfg.in",
                      self.setup.results_dir / "conf" / "haproxy.cfg",
                      {"PORT": str(self.port), "ORIGIN_PORT": str(self.setup.origin_port),
                       "CACHE_MB": str(self.cache_mb)})
        self._launch(["haproxy", "-f", str(conf), "-db"])
        self._await_http()

    def version(self) -> str:
        version = first_line(["haproxy", "-v"]).split(" - ")[0]
        return f"{version} (nbthread 1, cache total-max-size {self.cache_mb} MiB)"


class Varnish(Peer):
    name = "varnish"

    def start(self) -> None:
        self.port = free_port()
        self.storage = "4g" if self.setup.big else "1g"
        vcl = render(self.setup.conf_dir / "varnish.vcl.in",
                     self.setup.results_dir / "conf" / "varnish.vcl",
                     {"ORIGIN_PORT": str(self.setup.origin_port)})
        self._launch([
            "varnishd",
            "-F",                                   # foreground: the driver supervises it
            "-j", "none",                           # no privilege-dropping jail: the work dir
                                                    # is the invoking user's temp dir
            "-a", f"127.0.0.1:{self.port}",
            "-f", str(vcl),
            "-s", f"malloc,{self.storage}",         # memory storage, above every working set
            "-n", str(self.setup.work_dir / "varnish"),
            "-T", "none",                           # no management CLI port needed
            # Varnish serves each connection with a request in progress on its own worker
            # thread, so it cannot be one thread: one pool (default 2), all of it pinned to
            # the server core with the rest of the process, and enough threads made up front
            # for 256 connections so none is created during a timed run.
            "-p", "thread_pools=1",
            "-p", "thread_pool_min=300",
            "-p", "thread_pool_max=1000",
        ])
        self._await_http()

    def version(self) -> str:
        version = first_line(["varnishd", "-V"]).split(" revision")[0].replace("varnishd (", "")
        return f"{version} (malloc {self.storage}, 1 thread pool of 300+ threads)"


class Limit(Peer):
    """Two cachet-limit-server processes, one per body size the scenarios use; each scenario
    measures the one whose responses match its objects."""

    name = "limit"
    caches = False
    sizes = (1024, 65536)

    def start(self) -> None:
        self.by_size: dict[int, tuple[int, subprocess.Popen]] = {}
        for size in self.sizes:
            log = self._log(f"limit-{size}")
            process = self.setup.supervisor.start(
                f"limit-{size}", [str(self.setup.build_dir / "tools" / "cachet-limit-server"),
                                  "--listen", "127.0.0.1:0", "--size", str(size)],
                log, self.setup.server_cpu)
            match = wait_for_line(process, log, r"listening on [\d.]+:(\d+)", START_DEADLINE_S)
            self.by_size[size] = (int(match.group(1)), process)
        self.port, self.process = self.by_size[1024]

    def version(self) -> str:
        return "cachet-limit-server (1 thread, one prebuilt response, no cache)"

    def serves(self, scenario: Scenario) -> bool:
        return scenario.hit   # pass-through measures a proxy's origin path: it has none

    def port_for(self, scenario: Scenario) -> int:
        return self.by_size[scenario.body_bytes][0]

    def pids(self, scenario: Scenario) -> list[int]:
        return process_tree(self.by_size[scenario.body_bytes][1].pid)

    def processes(self) -> list[subprocess.Popen]:
        return [process for _, process in self.by_size.values()]


PEER_TYPES = {cls.name: cls for cls in (Cachet, Nginx, Haproxy, Varnish, Limit)}

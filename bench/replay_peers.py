"""The stand-ins of the replay family (scripts/bench.sh replay), pinned to the server core, each
loaded with the same recorded responses in its own format:

- cachet-replay: cachet --mode replay from the recorded snapshot;
- cachet-hit: cachet --mode proxy in front of the JSON origin, every object a cache hit
  (the issue's yardstick: a replay should cost within 10% of a hit);
- wiremock, mountebank, mockoon: the common mock servers, from npm (bench/.npm/);
- limit: cachet-limit-server, one prebuilt 1 KiB response for any path (the floor).

Each stand-in runs one instance per recording its scenarios use: r1 and lat50 one loaded with
the single recorded response, r10k one loaded with all 10,000. A mock server that matches stubs
one by one would otherwise pay for 10,000 stubs in r1 too, and r1 is there to show the fixed
cost of an answer; r10k shows what the number of recorded paths costs. cachet-replay's lat50
is an instance of its own (the latency model is per process); WireMock's is a delayed stub.
"""

import json
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import http_client
import replay_fixtures as fixtures
from measure import process_tree
from peers import START_DEADLINE_S, Limit, Peer, Setup, first_line, free_port
from scenarios import Scenario
from supervisor import StartError, wait_for_line

NODE_MODULES = Path(__file__).resolve().parent / ".npm" / "node_modules"

# The JVM and node take far longer than cachet to come up with 10,000 stubs loaded.
STAND_IN_DEADLINE_S = 180.0

# 10,000 stubs and their bodies, with room to spare; fixed at start so the heap does not grow
# during a timed run.
WIREMOCK_HEAP = ["-Xms1g", "-Xmx1g"]


class ReplaySetup(Setup):
    """Setup plus what only the replay family has: the recordings, by number of paths."""

    def __init__(self, base: Setup, recordings: dict[int, fixtures.Recording],
                 scenarios: list[Scenario]) -> None:
        super().__init__(**base.__dict__)
        self.recordings = recordings
        self.scenarios = scenarios


@dataclass
class Instance:
    """One process of a stand-in, loaded with one recording."""

    key: str                       # "1", "10000" (paths loaded), or "lat50"
    port: int
    process: subprocess.Popen
    recording: fixtures.Recording


class StandIn(Peer):
    """A peer with one instance per recording its scenarios need; subclasses say how to
    launch one (`launch`) and may keep lat50 apart (`separate_lat50`)."""

    caches = False
    lat50 = False            # serves lat50 (a fixed 50 ms delay per answer)
    separate_lat50 = False   # lat50 needs an instance of its own

    def serves(self, scenario: Scenario) -> bool:
        return self.lat50 or scenario.name != "lat50"

    def instance_key(self, scenario: Scenario) -> str:
        if scenario.name == "lat50" and self.separate_lat50:
            return "lat50"
        return str(scenario.keys)

    def start(self) -> None:
        self.instances: dict[str, Instance] = {}
        for scenario in self.setup.scenarios:
            key = self.instance_key(scenario)
            if not self.serves(scenario) or key in self.instances:
                continue
            recording = self.setup.recordings[scenario.keys]
            port = free_port()
            process = self.launch(key, recording, port)
            self.instances[key] = Instance(key, port, process, recording)
            self._await_ready(key, port, process)
        first = next(iter(self.instances.values()))
        self.port, self.process = first.port, first.process

    def launch(self, key: str, recording: fixtures.Recording, port: int) -> subprocess.Popen:
        raise NotImplementedError

    def instance(self, scenario: Scenario) -> Instance:
        return self.instances[self.instance_key(scenario)]

    def port_for(self, scenario: Scenario) -> int:
        return self.instance(scenario).port

    def pids(self, scenario: Scenario) -> list[int]:
        return process_tree(self.instance(scenario).process.pid)

    def processes(self) -> list[subprocess.Popen]:
        return [i.process for i in self.instances.values()]

    def _start_process(self, key: str, argv: list[str]) -> subprocess.Popen:
        return self.setup.supervisor.start(f"{self.name}-{key}", argv, self._log_for(key),
                                           self.setup.server_cpu)

    def _log_for(self, key: str) -> Path:
        return self._log(f"{self.name}-{key}")

    def _work(self, key: str) -> Path:
        path = self.setup.work_dir / f"{self.name}-{key}"
        path.mkdir(parents=True, exist_ok=True)
        return path

    def _await_ready(self, key: str, port: int, process: subprocess.Popen) -> None:
        """Ready when the first recorded path answers 200 (loading 10,000 stubs takes the
        JVM and node a while)."""
        end = time.monotonic() + STAND_IN_DEADLINE_S
        while time.monotonic() < end:
            if process.poll() is not None:
                raise StartError(f"exited with status {process.returncode} "
                                 f"(see {self._log_for(key)})")
            try:
                if http_client.get(port, fixtures.ONE_PATH).status == 200:
                    return
            except (OSError, http_client.HttpError):
                pass
            time.sleep(0.2)
        raise StartError(f"did not answer {fixtures.ONE_PATH} within {STAND_IN_DEADLINE_S:.0f} s"
                         f" (see {self._log_for(key)})")

    def _sample_conf(self, key: str, name: str, data: dict) -> None:
        """A readable sample of a generated stub file (its first stubs) in the results'
        conf/: the 10,000-stub files themselves are 12 MiB each."""
        out = self.setup.results_dir / "conf" / f"{self.name}-{key}-{name}"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(data, indent=2) + "\n")


def _cachet_commit(setup: Setup) -> str:
    return first_line(["git", "-C", str(setup.conf_dir), "rev-parse", "--short", "HEAD"])


class CachetReplay(StandIn):
    name = "cachet-replay"
    lat50 = True
    separate_lat50 = True

    def launch(self, key: str, recording: fixtures.Recording, port: int) -> subprocess.Popen:
        latency = f"fixed:{fixtures.DELAY_MS}ms" if key == "lat50" else "none"
        process = self._start_process(key, [
            str(self.setup.build_dir / "cachet"), "--mode", "replay",
            "--snapshot", str(recording.snapshot), "--listen", f"127.0.0.1:{port}",
            "--workers", "1", "--replay-latency", latency, "--seed", "1",
            "--replay-report", str(self._work(key) / "unmatched.json"),
            "--admin", "127.0.0.1:0"])
        wait_for_line(process, self._log_for(key), r"cachet listening on", START_DEADLINE_S)
        return process

    def version(self) -> str:
        return (f"cachet {_cachet_commit(self.setup)} (--mode replay --workers 1; lat50: "
                f"--replay-latency fixed:{fixtures.DELAY_MS}ms)")


class CachetHit(StandIn):
    """cachet as a cache in front of the JSON origin, warmed by the driver (two passes, the
    second must reach the origin zero times), so every timed request is a hit."""

    name = "cachet-hit"
    caches = True

    def launch(self, key: str, recording: fixtures.Recording, port: int) -> subprocess.Popen:
        process = self._start_process(key, [
            str(self.setup.build_dir / "cachet"),
            "--origin", f"http://127.0.0.1:{self.setup.origin_port}",
            "--listen", f"127.0.0.1:{port}", "--workers", "1",
            "--cache-size", self.setup.cachet_cache_size, "--admin", "127.0.0.1:0"])
        wait_for_line(process, self._log_for(key), r"cachet listening on", START_DEADLINE_S)
        return process

    def version(self) -> str:
        return (f"cachet {_cachet_commit(self.setup)} (--mode proxy --workers 1 --cache-size "
                f"{self.setup.cachet_cache_size})")


class WireMock(StandIn):
    """The standalone jar from the npm package `wiremock`, run with `java -jar` so the JVM can
    be told it has one core (its GC and JIT threads then size themselves for one)."""

    name = "wiremock"
    lat50 = True

    def launch(self, key: str, recording: fixtures.Recording, port: int) -> subprocess.Popen:
        root = self._work(key)
        mappings = fixtures.write_wiremock(root, recording.exchanges, fixtures.ONE_PATH)
        self._sample_conf(key, "mappings.json",
                          {"mappings": json.loads(mappings.read_text())["mappings"][:3]})
        return self._start_process(key, [
            "java", "-XX:ActiveProcessorCount=1", *WIREMOCK_HEAP, "-jar", str(self.jar()),
            "--port", str(port), "--bind-address", "127.0.0.1", "--root-dir", str(root),
            "--no-request-journal",   # else it keeps every request it served: unbounded
            "--disable-request-logging", "--disable-banner"])

    @staticmethod
    def jar() -> Path:
        jars = sorted((NODE_MODULES / "wiremock" / "build").glob("wiremock-standalone-*.jar"))
        if not jars:
            raise StartError(f"no wiremock-standalone jar under {NODE_MODULES / 'wiremock'} "
                             f"(scripts/bench.sh replay installs it)")
        return jars[-1]

    def version(self) -> str:
        return (f"WireMock {self.jar().stem.rsplit('-', 1)[-1]} standalone on "
                f"{first_line(['java', '-version'])} (-XX:ActiveProcessorCount=1, "
                f"{' '.join(WIREMOCK_HEAP)}, --no-request-journal, default container threads; "
                f"lat50: a stub with fixedDelayMilliseconds {fixtures.DELAY_MS})")

    def path_for(self, scenario: Scenario) -> str:
        if scenario.name == "lat50":
            return fixtures.WIREMOCK_DELAY_PREFIX + scenario.path
        return scenario.path


def _node_package_version(*parts: str) -> str:
    return json.loads((NODE_MODULES.joinpath(*parts) / "package.json").read_text())["version"]


class Mountebank(StandIn):
    name = "mountebank"

    def launch(self, key: str, recording: fixtures.Recording, port: int) -> subprocess.Popen:
        config = fixtures.write_mountebank(self._work(key) / "imposters.json",
                                           recording.exchanges, port)
        data = json.loads(config.read_text())
        imposter = data["imposters"][0]
        self._sample_conf(key, "imposters.json",
                          {"imposters": [{**imposter, "stubs": imposter["stubs"][:3]}]})
        return self._start_process(key, [
            "node", str(NODE_MODULES / "@mbtest" / "mountebank" / "bin" / "mb"), "start",
            "--configfile", str(config), "--noParse",   # plain JSON, not an EJS template
            "--port", str(free_port()), "--host", "127.0.0.1",   # its admin API
            "--pidfile", str(self._work(key) / "mb.pid"), "--nologfile",
            "--loglevel", "warn"])   # info writes a line per request

    def version(self) -> str:
        return (f"mountebank {_node_package_version('@mbtest', 'mountebank')} on node "
                f"{first_line(['node', '--version'])} (one imposter, one stub per path, "
                f"--loglevel warn)")


class Mockoon(StandIn):
    name = "mockoon"

    def launch(self, key: str, recording: fixtures.Recording, port: int) -> subprocess.Popen:
        data = fixtures.write_mockoon(self._work(key) / "environment.json",
                                      recording.exchanges, port)
        environment = json.loads(data.read_text())
        self._sample_conf(key, "environment.json",
                          {**environment, "routes": environment["routes"][:3],
                           "rootChildren": environment["rootChildren"][:3]})
        return self._start_process(key, [
            "node", str(NODE_MODULES / "@mockoon" / "cli" / "bin" / "run.js"), "start",
            "--data", str(data), "--port", str(port), "--hostname", "127.0.0.1",
            "--disable-log-to-file", "--disable-admin-api"])

    def version(self) -> str:
        return (f"Mockoon CLI {_node_package_version('@mockoon', 'cli')} on node "
                f"{first_line(['node', '--version'])} (one route per path, templating off; it "
                f"logs every request to stdout, which it has no flag to turn off)")


class ReplayLimit(Limit):
    """The limit server with a 1 KiB body: answers any path with the same response, so it is
    the floor for r1 and r10k alike. It has no delay: lat50 is not for it."""

    sizes = (1024,)

    def serves(self, scenario: Scenario) -> bool:
        return scenario.name != "lat50"


REPLAY_PEER_TYPES = {cls.name: cls for cls in
                     (CachetReplay, CachetHit, WireMock, Mountebank, Mockoon, ReplayLimit)}

# What must exist for a stand-in from npm to run.
NPM_PEERS = {"wiremock": NODE_MODULES / "wiremock" / "package.json",
             "mountebank": NODE_MODULES / "@mbtest" / "mountebank" / "package.json",
             "mockoon": NODE_MODULES / "@mockoon" / "cli" / "package.json"}


def missing_installs(peers: list[str]) -> list[str]:
    """Which of `peers` have nothing installed to run them (reported, not timed)."""
    missing = [p for p in peers if p in NPM_PEERS and not NPM_PEERS[p].exists()]
    if "wiremock" in peers and "wiremock" not in missing and shutil.which("java") is None:
        missing.append("wiremock")
    if any(p in peers and p not in missing for p in ("mountebank", "mockoon")) \
            and shutil.which("node") is None:
        missing += [p for p in ("mountebank", "mockoon") if p in peers and p not in missing]
    return missing

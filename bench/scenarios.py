"""The load scenarios: what wrk asks for, over how many connections, and which keys a cache
must hold before the timed runs (docs/benchmarks.md explains why each one is there)."""

from dataclasses import dataclass
from pathlib import Path

LUA_DIR = Path(__file__).resolve().parent / "lua"

ZIPF_KEYS = 10_000
BIG_KEYS = 1_000_000
ZIPF_S = 0.99
SEED = 20240611


@dataclass(frozen=True)
class Scenario:
    name: str                     # short id used in tables and runs.tsv
    title: str
    connections: int
    body_bytes: int               # object size every request of this scenario asks for
    path: str = "/"               # the URL path wrk requests (scripts may choose others)
    script: tuple[str, ...] = ()  # (lua file, args...) appended as -s FILE URL -- ARGS
    hit: bool = True              # False: pass-through, every request must reach the origin
    keys: int = 1                 # distinct objects requested
    key_prefix: str = ""          # Zipf scenarios: keys are /obj/SIZE/<prefix><rank>

    def warm_paths(self) -> list[str]:
        """Every path this scenario requests, for the warm-up passes (none if pass-through)."""
        if not self.hit:
            return []
        if self.key_prefix:
            return [f"/obj/{self.body_bytes}/{self.key_prefix}{rank}"
                    for rank in range(1, self.keys + 1)]
        return [self.path]

    def wrk_args(self) -> tuple[list[str], list[str]]:
        """(options before the URL, arguments after it)."""
        if not self.script:
            return [], []
        return ["-s", str(LUA_DIR / self.script[0])], ["--", *self.script[1:]]


def _zipf(name: str, title: str, keys: int, s: float, prefix: str) -> Scenario:
    return Scenario(name, title, connections=64, body_bytes=1024,
                    script=("zipf.lua", str(keys), str(s), "1024", prefix, str(SEED)),
                    keys=keys, key_prefix=prefix)


def all_scenarios(big: bool) -> list[Scenario]:
    scenarios = [
        Scenario("a", "one 1 KiB object, 64 connections", 64, 1024, path="/obj/1024/a"),
        Scenario("b", "one 64 KiB object, 64 connections", 64, 65536, path="/obj/65536/b"),
        Scenario("c", "one 1 KiB object, 256 connections", 256, 1024, path="/obj/1024/a"),
        _zipf("d", f"{ZIPF_KEYS:,} x 1 KiB keys, Zipf({ZIPF_S}), 64 connections", ZIPF_KEYS,
              ZIPF_S, "z"),
        Scenario("p", "one 1 KiB object, 64 connections, 16 pipelined per write", 64, 1024,
                 path="/obj/1024/a", script=("pipeline.lua", "16", "/obj/1024/a")),
        Scenario("m", "pass-through: 1 KiB no-store, 64 connections (every request to origin)",
                 64, 1024, path="/nostore/1024/x", hit=False),
    ]
    if big:
        scenarios += [
            _zipf("d1m", f"{BIG_KEYS:,} x 1 KiB keys, Zipf({ZIPF_S}), 64 connections", BIG_KEYS,
                  ZIPF_S, "Z"),
            _zipf("u1m", f"{BIG_KEYS:,} x 1 KiB keys, uniform, 64 connections", BIG_KEYS, 0,
                  "Z"),
        ]
    return scenarios


def replay_scenarios() -> list[Scenario]:
    """The replay family (scripts/bench.sh replay): stand-ins answering recorded 1 KiB JSON."""
    import replay_fixtures as fx   # only this family needs it
    return [
        Scenario("r1", "one recorded 1 KiB JSON response, one path, 64 connections", 64,
                 fx.BODY_BYTES, path=fx.ONE_PATH),
        Scenario("r10k", f"{fx.KEYS:,} recorded paths x 1 KiB JSON, uniform, 64 connections",
                 64, fx.BODY_BYTES, path="/",
                 script=("paths.lua", str(fx.KEYS), fx.PATH_PREFIX, str(SEED)), keys=fx.KEYS),
        Scenario("lat50", f"one path, {fx.DELAY_MS} ms fixed delay per answer, 1,000 "
                 "connections", 1000, fx.BODY_BYTES, path=fx.ONE_PATH),
    ]


def tls_scenarios(handshake_clients: int) -> list[Scenario]:
    """The TLS family (scripts/bench.sh tls). ta and tm are loaded by wrk over https://; tn and
    tnr by `handshake_clients` concurrent `openssl s_time` processes, each one connection at a
    time, one request per connection (bench/tls.py), so their `connections` is that count."""
    return [
        Scenario("ta", "hits over TLS: one 1 KiB object, 64 keep-alive connections "
                 "(cachet-http: the same over http://, scenario a)", 64, 1024,
                 path="/obj/1024/a"),
        Scenario("tn", f"new TLS connections, full handshakes: one 1 KiB hit per connection, "
                 f"{handshake_clients} openssl s_time -new clients", handshake_clients, 1024,
                 path="/obj/1024/a"),
        Scenario("tnr", f"new TLS connections resumed with a session ticket: one 1 KiB hit per "
                 f"connection, {handshake_clients} openssl s_time -reuse clients",
                 handshake_clients, 1024, path="/obj/1024/a"),
        Scenario("tm", "misses to an HTTPS origin: 1 KiB no-store, 64 keep-alive connections, "
                 "every request to the origin over the peer's kept-alive TLS pool", 64, 1024,
                 path="/nostore/1024/x", hit=False),
    ]

"""What the replay benchmark serves: the API paths, their 1 KiB JSON bodies, and each stand-in's
own stub format generated from the recorded responses.

One source of truth for every peer: cachet records the JSON origin (bench/json_origin.py) and
replays the snapshot; WireMock, mountebank and Mockoon get the same status, headers and body
bytes for the same paths, written in their own formats by the functions here. The limit server
is the exception (one prebuilt response for any path: the floor, not a stand-in).
"""

import json
import uuid
from dataclasses import dataclass
from pathlib import Path

BODY_BYTES = 1024
KEYS = 10_000
PATH_PREFIX = "/api/items/"
ONE_PATH = PATH_PREFIX + "1"              # r1 and lat50
CONTENT_TYPE = "application/json"
CACHE_CONTROL = "public, max-age=3600"    # cacheable, so cachet's proxy mode has a hit to serve
DELAY_MS = 50                             # lat50
WIREMOCK_DELAY_PREFIX = "/delayed"        # WireMock's delayed copy of ONE_PATH lives here


def api_paths(keys: int = KEYS) -> list[str]:
    """/api/items/1 .. /api/items/<keys>: what r10k requests and what every peer is loaded with."""
    return [f"{PATH_PREFIX}{i}" for i in range(1, keys + 1)]


def json_body(path: str, size: int = BODY_BYTES) -> bytes:
    """A JSON object of exactly `size` bytes that names its path, so a wrong object is caught
    by comparing bodies, and is valid JSON whatever the padding."""
    item = path.rsplit("/", 1)[-1]
    head = {"id": int(item) if item.isdigit() else item, "path": path, "name": f"item {item}",
            "tags": ["bench", "replay"], "price": 9.99, "in_stock": True}
    empty = json.dumps({**head, "pad": ""}, separators=(",", ":")).encode()
    if len(empty) > size:
        raise ValueError(f"{path}: a {size}-byte body cannot hold it")
    pad = "".join(chr(ord("a") + i % 26) for i in range(size - len(empty)))
    return json.dumps({**head, "pad": pad}, separators=(",", ":")).encode()


@dataclass(frozen=True)
class Recorded:
    """One exchange as the recording returned it: what every stand-in must give back."""

    path: str
    status: int
    content_type: str
    cache_control: str
    body: bytes

    def headers(self) -> dict[str, str]:
        return {"Content-Type": self.content_type, "Cache-Control": self.cache_control}


@dataclass(frozen=True)
class Recording:
    """One recording session: the snapshot cachet wrote, and its exchanges as returned."""

    snapshot: Path
    exchanges: list[Recorded]

    @property
    def paths(self) -> list[str]:
        return [r.path for r in self.exchanges]


def write_wiremock(root: Path, recorded: list[Recorded], delayed_path: str = "") -> Path:
    """WireMock's --root-dir: mappings/*.json, one stub per path, plus a copy of `delayed_path`
    (if recorded) under WIREMOCK_DELAY_PREFIX with fixedDelayMilliseconds: WireMock's delay is
    per stub."""
    mappings = []
    for r in recorded:
        mappings.append(_wiremock_stub(r.path, r))
        if r.path == delayed_path:
            mappings.append(_wiremock_stub(WIREMOCK_DELAY_PREFIX + r.path, r, DELAY_MS))
    (root / "mappings").mkdir(parents=True, exist_ok=True)
    (root / "__files").mkdir(exist_ok=True)
    out = root / "mappings" / "api.json"
    out.write_text(json.dumps({"mappings": mappings}))
    return out


def _wiremock_stub(url: str, r: Recorded, delay_ms: int = 0) -> dict:
    response = {"status": r.status, "headers": r.headers(), "body": r.body.decode()}
    if delay_ms:
        response["fixedDelayMilliseconds"] = delay_ms
    return {"request": {"method": "GET", "url": url}, "response": response}


def write_mountebank(path: Path, recorded: list[Recorded], port: int) -> Path:
    """A mountebank config file (mb --configfile) with one HTTP imposter, one stub per path.
    mountebank closes each connection unless told otherwise, so every response says
    keep-alive, as the other peers do by default."""
    stubs = [{"predicates": [{"equals": {"method": "GET", "path": r.path}}],
              "responses": [{"is": {"statusCode": r.status,
                                    "headers": {**r.headers(), "Connection": "keep-alive"},
                                    "body": r.body.decode()}}]}
             for r in recorded]
    imposter = {"protocol": "http", "port": port, "host": "127.0.0.1", "recordRequests": False,
                "name": "cachet replay bench", "stubs": stubs,
                "defaultResponse": {"statusCode": 404, "headers": {"Connection": "keep-alive"}}}
    path.write_text(json.dumps({"imposters": [imposter]}))
    return path


# The migration level of the Mockoon data format this writes (@mockoon/commons 9.x): the CLI
# migrates an older file, and refuses a newer one.
MOCKOON_MIGRATION = 33


def write_mockoon(path: Path, recorded: list[Recorded], port: int) -> Path:
    """A Mockoon environment (mockoon-cli start --data) with one route per path, templating
    off (the bodies are fixed) and CORS headers off (the other peers send none)."""
    routes = [_mockoon_route(r) for r in recorded]
    environment = {
        "uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, "cachet-replay-bench")),
        "lastMigration": MOCKOON_MIGRATION, "name": "cachet replay bench",
        "endpointPrefix": "", "latency": 0, "port": port, "hostname": "127.0.0.1",
        "folders": [], "routes": routes,
        "rootChildren": [{"type": "route", "uuid": r["uuid"]} for r in routes],
        "proxyMode": False, "proxyHost": "", "proxyRemovePrefix": False,
        "tlsOptions": {"enabled": False, "type": "CERT", "pfxPath": "", "certPath": "",
                       "keyPath": "", "caPath": "", "passphrase": ""},
        "cors": False, "headers": [], "proxyReqHeaders": [], "proxyResHeaders": [],
        "data": [], "callbacks": [],
    }
    path.write_text(json.dumps(environment))
    return path


def _mockoon_route(r: Recorded) -> dict:
    key = f"cachet-replay-bench{r.path}"
    response = {
        "uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, key + "#response")),
        "body": r.body.decode(), "latency": 0, "statusCode": r.status, "label": "",
        "headers": [{"key": k, "value": v} for k, v in r.headers().items()],
        "bodyType": "INLINE", "filePath": "", "databucketID": "", "sendFileAsBody": False,
        "rules": [], "rulesOperator": "OR", "disableTemplating": True, "fallbackTo404": False,
        "default": True, "crudKey": "id", "callbacks": [],
    }
    return {"uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, key)), "type": "http",
            "documentation": "", "method": "get", "endpoint": r.path.lstrip("/"),
            "responses": [response], "responseMode": None, "streamingMode": None,
            "streamingInterval": 0}

"""Warming a cache before the timed runs, and proving it warm.

Pass 1 requests every key once (each should be one origin request); pass 2 requests them all
again and must add zero origin requests, as counted by the origin itself (GET /__count). A peer
that fails pass 2 is reported as such: its hit figures then include misses.
"""

import time
from dataclasses import dataclass, field

import http_client


def origin_count(origin_port: int) -> int:
    response = http_client.get(origin_port, "/__count")
    if response.status != 200:
        raise http_client.HttpError(f"origin /__count answered {response.status}")
    return int(response.body)


def check_object(path: str, response: http_client.Response) -> str | None:
    """None if `response` is the origin's object for `path` (/obj/<size>/<name>): status 200,
    <size> bytes, starting with the path as the bench origin writes it."""
    if response.status != 200:
        return f"status {response.status}"
    size = int(path.split("/")[2])
    if len(response.body) != size:
        return f"{len(response.body)} body bytes, expected {size}"
    if not response.body.startswith((path.encode() + b"\n")[:size]):
        return "body is another object's"
    return None


@dataclass
class WarmResult:
    keys: int
    pass1_origin_requests: int = 0
    pass2_origin_requests: int = 0
    failures: int = 0
    examples: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.pass2_origin_requests == 0 and self.failures == 0

    def verdict(self) -> str:
        if self.ok:
            return "ok"
        problems = []
        if self.pass2_origin_requests:
            problems.append(f"NOT WARM: pass 2 reached the origin {self.pass2_origin_requests:,}"
                            " times")
        if self.failures:
            problems.append(f"{self.failures:,} bad responses, e.g. {'; '.join(self.examples)}")
        return "; ".join(problems)


def warm(port: int, paths: list[str], origin_port: int, connections: int,
         pipeline: int, check=check_object, tls=None) -> WarmResult:
    """Two passes over `paths`, each response judged by `check(path, response)` (the bench
    origin's objects by default; the replay family passes its JSON check), over HTTPS when
    given an ssl.SSLContext (the TLS family)."""
    result = WarmResult(keys=len(paths))
    started = time.monotonic()
    counts = [origin_count(origin_port)]
    for _ in range(2):
        fetched = http_client.fetch_all(port, paths, check, connections, pipeline, tls)
        result.failures += fetched.failures
        result.examples += fetched.examples[:5 - len(result.examples)]
        counts.append(origin_count(origin_port))
    result.pass1_origin_requests = counts[1] - counts[0]
    result.pass2_origin_requests = counts[2] - counts[1]
    result.seconds = time.monotonic() - started
    return result

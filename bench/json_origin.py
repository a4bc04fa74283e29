#!/usr/bin/env python3
"""The JSON API the replay benchmark records: GET /api/items/<n> (1 <= n <= --keys) answers a
1 KiB JSON body (replay_fixtures.json_body) as application/json, cacheable for an hour.

The C++ bench origin serves application/octet-stream only, and the replay family needs JSON;
this origin is used while recording and as the origin of cachet's proxy mode, which fetches
each object once and then answers from its cache. It is never under load during a timed run,
so a Python server is fast enough. Like the bench origin it counts the requests it answered
at GET /__count (not counted itself), so the driver can prove the proxy reached it zero times.

    json_origin.py --listen 127.0.0.1:0 [--keys 10000]   prints "listening on 127.0.0.1:PORT"
"""

import argparse
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.dont_write_bytecode = True

import replay_fixtures as fixtures


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"    # keep-alive, as the proxy and the recorder expect
    disable_nagle_algorithm = True   # head and body go out in separate writes
    keys = fixtures.KEYS
    count = 0
    count_lock = threading.Lock()

    def do_GET(self) -> None:
        if self.path == "/__count":
            self._send(200, "text/plain", "no-store", str(Handler.count).encode())
            return
        with Handler.count_lock:
            Handler.count += 1
        item = self.path[len(fixtures.PATH_PREFIX):]
        if not (self.path.startswith(fixtures.PATH_PREFIX) and item.isdigit()
                and 1 <= int(item) <= self.keys):
            self._send(404, "text/plain", "no-store", b"try /api/items/<1..keys>\n")
            return
        self._send(200, fixtures.CONTENT_TYPE, fixtures.CACHE_CONTROL,
                   fixtures.json_body(self.path))

    def _send(self, status: int, content_type: str, cache_control: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", cache_control)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:
        pass   # one line per request would only fill the log


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", default="127.0.0.1:0")
    parser.add_argument("--keys", type=int, default=fixtures.KEYS)
    args = parser.parse_args()
    host, _, port = args.listen.rpartition(":")
    Handler.keys = args.keys
    server = ThreadingHTTPServer((host, int(port)), Handler)
    server.daemon_threads = True
    print(f"listening on {host}:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A small blocking HTTP/1.1 client for the warm-up passes and the origin's /__count.

Not a load generator (wrk is): it favours checking every response over speed. It keeps
connections alive, reconnects when a server closes one, reads Content-Length, chunked and
close-delimited bodies, and can pipeline a few requests per write. Given an ssl.SSLContext
(`tls`), it speaks HTTPS, verifying the server as TLS_NAME (the TLS family's certificate).
"""

import socket
import ssl
import threading
from dataclasses import dataclass, field

TIMEOUT_S = 10.0
TLS_NAME = "localhost"   # SNI and the name verified; the address connected to stays 127.0.0.1


class HttpError(Exception):
    pass


@dataclass
class Response:
    status: int
    headers: dict[str, str]   # lower-case names; a repeated field keeps its last value
    body: bytes


class Connection:
    def __init__(self, port: int, host: str = "127.0.0.1",
                 tls: ssl.SSLContext | None = None) -> None:
        self._address = (host, port)
        self._tls = tls
        self._sock: socket.socket | None = None
        self._buffer = bytearray()

    def close(self) -> None:
        if self._sock:
            self._sock.close()
        self._sock = None
        self._buffer.clear()

    def get_many(self, paths: list[str]) -> list[Response]:
        """GETs `paths` pipelined in one write and returns the responses in order."""
        if self._sock is None:
            self._sock = socket.create_connection(self._address, timeout=TIMEOUT_S)
            self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if self._tls:
                self._sock = self._tls.wrap_socket(self._sock, server_hostname=TLS_NAME)
        host = f"{self._address[0]}:{self._address[1]}"
        self._sock.sendall(b"".join(
            f"GET {p} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode() for p in paths))
        responses = []
        for _ in paths:
            response = self._read_response()
            responses.append(response)
            if response.headers.get("connection", "").lower() == "close":
                self.close()
                break
        return responses

    def _fill(self) -> bool:
        data = self._sock.recv(1 << 16)
        self._buffer += data
        return bool(data)

    def _read_until(self, marker: bytes) -> bytes:
        while (at := self._buffer.find(marker)) < 0:
            if not self._fill():
                raise HttpError("connection closed mid-response")
        line = bytes(self._buffer[:at])
        del self._buffer[:at + len(marker)]
        return line

    def _read_exactly(self, n: int) -> bytes:
        while len(self._buffer) < n:
            if not self._fill():
                raise HttpError(f"connection closed with {n - len(self._buffer)} body bytes due")
        data = bytes(self._buffer[:n])
        del self._buffer[:n]
        return data

    def _read_response(self) -> Response:
        head = self._read_until(b"\r\n\r\n").decode("latin-1").split("\r\n")
        parts = head[0].split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/1.") or not parts[1].isdigit():
            raise HttpError(f"bad status line {head[0]!r}")
        headers = {}
        for line in head[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if "chunked" in headers.get("transfer-encoding", "").lower():
            body = bytearray()
            while (size := int(self._read_until(b"\r\n").split(b";")[0], 16)) > 0:
                body += self._read_exactly(size)
                self._read_exactly(2)
            while self._read_until(b"\r\n"):   # trailer fields, up to the empty line
                pass
            return Response(int(parts[1]), headers, bytes(body))
        if "content-length" in headers:
            return Response(int(parts[1]), headers,
                            self._read_exactly(int(headers["content-length"])))
        if int(parts[1]) in (204, 304) or 100 <= int(parts[1]) < 200:
            return Response(int(parts[1]), headers, b"")
        while self._fill():
            pass
        body = bytes(self._buffer)
        self.close()
        return Response(int(parts[1]), headers, body)


def get(port: int, path: str, tls: ssl.SSLContext | None = None) -> Response:
    connection = Connection(port, tls=tls)
    try:
        return connection.get_many([path])[0]
    finally:
        connection.close()


@dataclass
class FetchResult:
    requests: int = 0
    failures: int = 0
    examples: list[str] = field(default_factory=list)   # the first few failures, as text


def fetch_all(port: int, paths: list[str], check, connections: int = 8,
              pipeline: int = 1, tls: ssl.SSLContext | None = None) -> FetchResult:
    """GETs every path once over `connections` keep-alive connections, `pipeline` per write.
    `check(path, response)` returns None when the response is right, else what is wrong."""
    result = FetchResult()
    lock = threading.Lock()

    def record(path: str, problem: str | None) -> None:
        with lock:
            result.requests += 1
            if problem:
                result.failures += 1
                if len(result.examples) < 5:
                    result.examples.append(f"{path}: {problem}")

    def worker(share: list[str]) -> None:
        connection = Connection(port, tls=tls)
        at = 0
        while at < len(share):
            batch = share[at:at + pipeline]
            try:
                responses = connection.get_many(batch)
            except (OSError, HttpError, ValueError) as error:
                connection.close()
                for path in batch:
                    record(path, f"{type(error).__name__}: {error}")
                at += len(batch)
                continue
            for path, response in zip(batch, responses):
                record(path, check(path, response))
            at += len(responses)   # a closed connection answers part of the batch: resend
        connection.close()

    threads = [threading.Thread(target=worker, args=(paths[i::connections],))
               for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return result

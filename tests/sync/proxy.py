"""A flaky network between desks and the platform: a real TCP proxy on a loopback port.

Each HTTP request that arrives on a client connection gets a fate, drawn from a seeded random generator:

* ``pass``: forwarded, and the answer sent back;
* ``refuse``: the connection is closed before anything reaches the server;
* ``drop``: forwarded (the server acts and commits), then the connection is closed without an answer;
* ``cut``: forwarded, then half of the answer is sent and the connection closed;
* ``delay``: forwarded, and the answer sent back after ``delay`` seconds (longer than a client's read
  timeout makes it a lost answer too).

Every request goes to the server on a connection of its own, and is read there in full (headers and a
``Content-Length`` or chunked body), so the server always finishes what it was asked. Used by
``test_flaky_network.py``; ``faults.FaultTransport`` remains for faults at exact points.
"""

from __future__ import annotations

import random
import socket
import threading
from collections import Counter
from dataclasses import dataclass, field

FATES = ("pass", "refuse", "drop", "cut", "delay")


@dataclass
class Odds:
    """Weights of the fates (they need not add up to 1); ``delay`` in seconds."""

    weights: dict[str, float] = field(
        default_factory=lambda: {"pass": 0.6, "refuse": 0.08, "drop": 0.12, "cut": 0.1, "delay": 0.1}
    )
    #: a delayed answer waits uniformly up to twice this: past the client's read timeout it is lost too
    delay: float = 0.3


class _Closed(Exception):
    """The peer closed the connection before a whole message arrived."""


def _read_until(sock: socket.socket, buf: bytearray, marker: bytes) -> int:
    while (end := buf.find(marker)) < 0:
        chunk = sock.recv(65536)
        if not chunk:
            raise _Closed
        buf += chunk
    return end


def _read_exact(sock: socket.socket, buf: bytearray, size: int) -> None:
    while len(buf) < size:
        chunk = sock.recv(65536)
        if not chunk:
            raise _Closed
        buf += chunk


def read_message(sock: socket.socket, buf: bytearray) -> bytes:
    """One HTTP/1.1 message from ``sock`` (``buf`` holds bytes already read and keeps the surplus)."""
    head_end = _read_until(sock, buf, b"\r\n\r\n") + 4
    head = bytes(buf[:head_end]).lower()
    length = 0
    for line in head.split(b"\r\n"):
        if line.startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    if b"transfer-encoding: chunked" in head:
        end = _read_until(sock, buf, b"\r\n0\r\n\r\n") + 7
    else:
        _read_exact(sock, buf, head_end + length)
        end = head_end + length
    message = bytes(buf[:end])
    del buf[:end]
    return message


class FlakyProxy:
    """``url`` points at it; ``faults`` switches the misfortune on and off; ``seen`` counts the fates."""

    def __init__(self, upstream_port: int, odds: Odds | None = None, seed: int = 11) -> None:
        self.upstream = ("127.0.0.1", upstream_port)
        self.odds = odds or Odds()
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.faults = False
        self.seen: Counter[str] = Counter()
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._accept, name="flaky-proxy", daemon=True)

    def start(self) -> FlakyProxy:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopped.set()
        self.listener.close()
        self.thread.join(timeout=5)

    def _fate(self) -> str:
        with self.lock:
            fate = "pass"
            if self.faults:
                names = list(self.odds.weights)
                fate = self.rng.choices(names, [self.odds.weights[n] for n in names])[0]
            self.seen[fate] += 1
            return fate

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        buf = bytearray()
        try:
            while True:
                request = read_message(client, buf)
                fate = self._fate()
                if fate == "refuse":
                    return
                answer = self._forward(request)
                if fate == "drop":
                    return
                if fate == "cut":
                    client.sendall(answer[: len(answer) // 2])
                    return
                if fate == "delay":
                    with self.lock:
                        pause = self.rng.uniform(0, 2 * self.odds.delay)
                    self.stopped.wait(pause)
                client.sendall(answer)
        except (_Closed, OSError):
            return
        finally:
            _abort(client)

    def _forward(self, request: bytes) -> bytes:
        with socket.create_connection(self.upstream, timeout=60) as upstream:
            upstream.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            upstream.sendall(request)
            return read_message(upstream, bytearray())


def _abort(sock: socket.socket) -> None:
    """Close at once; a reset (SO_LINGER 0) is what a dropped Wi-Fi link looks like to the client."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    except OSError:
        pass
    sock.close()

"""Real application servers for the tests that need one: a free port, and waiting until the
server answers its health endpoint."""

from __future__ import annotations

import socket
import time

import httpx


def free_port() -> int:
    """A port on loopback that nothing listens on now (the server binds it a moment later)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(client: httpx.Client, *, tries: int = 100) -> None:
    """Wait for ``/halsa/`` to answer, at most ``tries`` × 0,2 s; fail the test if it never does."""
    for _ in range(tries):
        try:
            client.get("/halsa/")
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError(f"servern på {client.base_url} svarade aldrig på /halsa/")

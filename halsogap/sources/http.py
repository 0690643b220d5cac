"""The HTTP side every connector shares: timeouts, retries with back-off, a rate limit per
source, and the source's own error message when it refuses.

The connectors take a :class:`SourceClient` so tests hand them one built on a mocked
transport; nothing here reads settings or a database.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

#: Statuses worth asking again after a pause: the source is busy or briefly down. SCB answers
#: 429 (and older installations 403) when more than its calls per 10 s arrive.
RETRY_STATUSES = {403, 429, 500, 502, 503, 504}


class SourceFetchError(RuntimeError):
    """A source that could not be read, with its own words, so the analyst can act on them.

    >>> str(SourceFetchError("SCB", "HTTP 400: Ogiltig variabel 'Regin'"))
    "SCB svarade inte som väntat: HTTP 400: Ogiltig variabel 'Regin'"
    """

    def __init__(self, source: str, detail: str):
        super().__init__(f"{source} svarade inte som väntat: {detail}")
        self.source, self.detail = source, detail


@dataclass
class RateLimit:
    """At most ``calls`` requests in any ``window`` seconds (PxWebApi: 10 per 10 s for SCB).

    >>> now = [0.0]
    >>> limit = RateLimit(2, 10.0, clock=lambda: now[0], sleep=lambda s: now.__setitem__(0, now[0] + s))
    >>> for _ in range(3):
    ...     limit.wait()
    >>> now[0]
    10.0
    """

    calls: int
    window: float
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _times: deque = field(default_factory=deque)

    def wait(self) -> None:
        now = self.clock()
        while self._times and now - self._times[0] >= self.window:
            self._times.popleft()
        if len(self._times) >= self.calls:
            self.sleep(self.window - (now - self._times[0]))
            now = self.clock()
            self._times.popleft()
        self._times.append(now)


@dataclass
class SourceClient:
    """One source's HTTP client: ``get_json`` and ``post_json`` with retries and a rate limit.

    ``retries`` further attempts follow a timeout, a dropped connection or a status in
    :data:`RETRY_STATUSES`, after ``backoff``, 2 × ``backoff``, 4 × ``backoff`` … seconds.
    Any other refusal raises :class:`SourceFetchError` at once with the source's message.
    """

    name: str
    http: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=30.0))
    limit: RateLimit | None = None
    retries: int = 3
    backoff: float = 1.0
    sleep: Callable[[float], None] = time.sleep
    requests: list[str] = field(default_factory=list)

    def get_json(self, url: str, **params):
        return self._send("GET", url, params=params or None)

    def post_json(self, url: str, body, **params):
        return self._send("POST", url, json=body, params=params or None)

    def _send(self, method: str, url: str, **kwargs):
        last = ""
        for attempt in range(self.retries + 1):
            if attempt:
                self.sleep(self.backoff * 2 ** (attempt - 1))
            if self.limit is not None:
                self.limit.wait()
            try:
                response = self.http.request(method, url, **kwargs)
            except httpx.TimeoutException:
                last = f"svarade inte i tid ({url})"
                continue
            except httpx.TransportError:
                last = f"gick inte att nå ({url})"
                continue
            self.requests.append(f"{method} {response.request.url}")
            if response.status_code in RETRY_STATUSES:
                last = f"HTTP {response.status_code}: {_message(response)}"
                continue
            if response.status_code >= 400:
                raise SourceFetchError(
                    self.name, f"HTTP {response.status_code}: {_message(response)}"
                )
            try:
                return response.json()
            except ValueError as error:
                raise SourceFetchError(self.name, f"svaret var inte JSON ({url})") from error
        raise SourceFetchError(self.name, f"{last}; gav upp efter {self.retries + 1} försök")


def _message(response: httpx.Response) -> str:
    """The source's own explanation: a JSON ``title``/``detail``/``message``, or the text."""
    try:
        body = response.json()
    except ValueError:
        return response.text.strip()[:300] or response.reason_phrase
    if isinstance(body, dict):
        parts = [str(body[k]) for k in ("title", "detail", "message", "error") if body.get(k)]
        if parts:
            return " – ".join(parts)[:300]
    return str(body)[:300]

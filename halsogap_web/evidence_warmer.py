"""Rebuilding the evidence frames in the background, so that no reader waits after an import.

Each app server process keeps the suppressed store and the needs engine's input in memory
(:mod:`halsogap_web.evidence`). When an import, a source run or another server changes the
data version, the first reader would wait seconds for the rebuild. A daemon thread per process
checks the version every few seconds and rebuilds at once: the store (from the shared Parquet
cache when another process has written it) and the needs input for the public and for each
region's members, which the needs pages slice.
"""

from __future__ import annotations

import logging
import threading
import time

from django.db import close_old_connections, connection

logger = logging.getLogger(__name__)
_started = threading.Event()


def warm_all() -> tuple:
    """Build every frame a first page view would build; returns the data version warmed."""
    from django.contrib.auth.models import AnonymousUser

    from halsogap_web import evidence
    from halsogap_web.accounts.models import Organisation

    version = evidence.data_version()
    evidence.warm()
    evidence.needs_data(AnonymousUser())
    for region in Organisation.objects.filter(kind=Organisation.Kind.REGION):
        evidence.needs_data(None, region=region)
    return version


def _loop(interval: float) -> None:
    from halsogap_web import evidence

    warmed = None
    while True:
        try:
            close_old_connections()
            if evidence.data_version() != warmed:
                warmed = warm_all()
        except Exception:  # noqa: BLE001 - the warmer must never stop serving; readers rebuild
            logger.exception("Förberedelsen av värdena misslyckades; sidorna bygger själva")
        finally:
            connection.close()
        time.sleep(interval)


def start(interval: float = 5.0) -> bool:
    """Start the warmer once in this process (app servers call it at start); True if started."""
    if _started.is_set():
        return False
    _started.set()
    threading.Thread(target=_loop, args=(interval,), name="evidence-warmer", daemon=True).start()
    return True

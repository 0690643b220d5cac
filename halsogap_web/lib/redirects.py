"""Where a form may send the user back to: only to a page of this site."""

from __future__ import annotations

from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, target: str | None, fallback: str) -> str:
    """``target`` when it is a path on this site, else the URL of ``fallback``.

    A "back to" parameter is user input: an absolute URL, ``//host`` or ``/\\host`` would send
    the user to another site after a trusted form (an open redirect).
    """
    if (
        target
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        and target.startswith("/")
        and not target.startswith(("//", "/\\"))
    ):
        return target
    return resolve_url(fallback)

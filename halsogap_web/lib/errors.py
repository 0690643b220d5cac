"""The answer to a request the site cannot read: a 400 page that says what was wrong."""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.template.response import TemplateResponse


def bad_request(request, exception=None):
    """Django's 400 handler, with the refusal's own sentence when it is one of ours."""
    reason = str(exception) if isinstance(exception, BadRequest) else ""
    response = TemplateResponse(request, "400.html", {"reason": reason}, status=400)
    return response.render()

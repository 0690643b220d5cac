"""``/halsa/``: is this app server able to answer? For load balancers and monitoring."""

from __future__ import annotations

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def health(request):
    """200 with ``{"status": "ok"}`` when the database answers, else 503 with the reason."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return JsonResponse(
            {"status": "fel", "database": f"svarar inte: {type(error).__name__}"}, status=503
        )
    return JsonResponse({"status": "ok", "database": connection.vendor})

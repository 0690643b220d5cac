"""Who is calling the API: a personal key (``Authorization: Bearer hg_…``), the logged-in
browser session, or the public. Each resolves to a user, and the same access helpers as the
pages decide what that user may read or write."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer
from ninja.utils import check_csrf

from .models import ApiToken


class PersonalKey(HttpBearer):
    openapi_description = (
        "Personlig API-nyckel som skapas under Konto → API-nycklar. / "
        "A personal API key, made under Account → API keys."
    )

    def authenticate(self, request, token):
        user = ApiToken.user_for_key(token)
        if user is None:
            # A wrong key is refused, never read as the public: the caller meant to be someone.
            raise AuthenticationError()
        request.user = user
        return user


class SessionOrPublic:
    """The browser's session (with its CSRF check on writes), else the public."""

    openapi_type = None

    def __call__(self, request):
        if "HTTP_AUTHORIZATION" in request.META:
            return None
        user = getattr(request, "user", None) or AnonymousUser()
        writes = request.method not in {"GET", "HEAD", "OPTIONS"}
        if user.is_authenticated and writes and check_csrf(request, lambda r: None) is not None:
            raise AuthenticationError()
        return user

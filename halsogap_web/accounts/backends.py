"""Logging in: user names are the same name whatever their case, at login and in the lockout."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class CaseInsensitiveModelBackend(ModelBackend):
    """Django's backend, finding ``ANNA.ANALYTIKER`` as ``anna.analytiker``."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        User = get_user_model()
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if username is None or password is None:
            return None
        try:
            user = User._default_manager.get(**{f"{User.USERNAME_FIELD}__iexact": username})
        except (User.DoesNotExist, User.MultipleObjectsReturned):
            # Hash anyway, so that a wrong name takes as long as a wrong password.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def lockout_username(request, credentials) -> str | None:
    """The name django-axes counts failures under: lower case, so that changing the case of a
    locked name does not give five more tries."""
    name = (credentials or {}).get("username")
    if name is None and request is not None:
        name = request.POST.get("username")
    return name.strip().lower() if isinstance(name, str) else name

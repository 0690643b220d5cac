"""Personal API tokens: a user's key for scripts and systems, created and revoked by the user."""

from __future__ import annotations

import hashlib
import secrets

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from halsogap_web.audit.regions import RegionAudited

#: Every key starts with this, so that a leaked key is recognised by secret scanners.
PREFIX = "hg_"


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(RegionAudited, models.Model):
    """A key that acts as its user: the same region, role and access rules as the pages.

    Only a digest is stored; the key itself is shown once, when it is made.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("namn"), max_length=100, help_text=_("Vad nyckeln används till."))
    digest = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(_("början av nyckeln"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("senast använd"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("återkallad"), null=True, blank=True)

    class Meta:
        verbose_name = _("API-nyckel")
        verbose_name_plural = _("API-nycklar")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    def audit_region_id(self) -> int | None:
        from halsogap_web.accounts.access import get_membership_for_user

        membership = get_membership_for_user(self.user)
        return membership.region.pk if membership else None

    @classmethod
    def issue(cls, user, name: str) -> tuple[ApiToken, str]:
        """Make a key for ``user``; returns the token and the key, which is never stored."""
        key = PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, digest=_digest(key), hint=key[:10])
        return token, key

    @classmethod
    def user_for_key(cls, key: str):
        """The active user the key belongs to, or None for an unknown or revoked key."""
        if not key.startswith(PREFIX):
            return None
        token = (
            cls.objects.select_related("user")
            .filter(digest=_digest(key), revoked_at__isnull=True)
            .first()
        )
        if token is None or not token.user.is_active:
            return None
        # Once a minute is enough to show "last used" without a write per request.
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            cls.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


auditlog.register(ApiToken, exclude_fields=["digest", "last_used_at"])

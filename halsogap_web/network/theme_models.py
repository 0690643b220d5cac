"""The HFS network's theme groups: members from several regions, each group with its own
action plan (kept as an :class:`~halsogap_web.network.models.ActionPlan` of the network)."""

from __future__ import annotations

from auditlog.registry import auditlog
from django.db import models
from django.utils.translation import gettext_lazy as _

from halsogap_web.accounts.models import Membership, Organisation
from halsogap_web.audit.regions import RegionAudited


class ThemeGroup(RegionAudited, models.Model):
    network = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="theme_groups")
    name = models.CharField(_("namn"), max_length=200)
    description = models.TextField(_("inriktning"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["network", "name"], name="one_theme_group_per_name")
        ]

    def __str__(self) -> str:
        return self.name

    def audit_region_id(self) -> int | None:
        return self.network_id

    def regions(self) -> list[Organisation]:
        """The member regions the group's members come from, by name."""
        found = {m.membership.region for m in self.members.select_related("membership")}
        return sorted(found, key=lambda r: r.name)


class ThemeGroupMember(RegionAudited, models.Model):
    """A person in a theme group, in the place (region and role) they hold in Hälsogap."""

    group = models.ForeignKey(ThemeGroup, on_delete=models.CASCADE, related_name="members")
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="theme_groups"
    )
    leads = models.BooleanField(_("sammankallande"), default=False)

    class Meta:
        ordering = ["-leads", "membership__organisation__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["group", "membership"], name="one_seat_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.membership.user} ({self.membership.region})"

    def audit_region_id(self) -> int | None:
        return self.group.network_id


auditlog.register(ThemeGroup)
auditlog.register(ThemeGroupMember)

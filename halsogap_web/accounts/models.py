"""Organisations (a region as huvudman with its units) and the roles users hold in them."""

from __future__ import annotations

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from halsogap_web.audit.regions import RegionAudited


class Organisation(RegionAudited, models.Model):
    """A region (huvudman) or one of its units.

    Every unit points to its region, so that access checks compare one foreign key rather
    than walk a tree.
    """

    class Kind(models.TextChoices):
        REGION = "region", _("Region (huvudman)")
        FORVALTNING = "forvaltning", _("Förvaltning")
        VARDCENTRAL = "vardcentral", _("Vårdcentral")
        KOMMUN = "kommun", _("Partnerkommun")
        #: The HFS network itself: its secretariat works here, above the member regions.
        NATVERK = "natverk", _("Nätverk (HFS-nätverket)")

    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        verbose_name=_("region"),
        help_text=_("Den region (huvudman) som enheten hör till; tom för en region."),
    )
    area = models.ForeignKey(
        "observations.Area",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("område"),
        help_text=_("Regionens eller kommunens område i SCB:s indelning."),
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["region", "natverk"], region__isnull=True)
                | (~models.Q(kind__in=["region", "natverk"]) & models.Q(region__isnull=False)),
                name="unit_belongs_to_region",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def audit_region_id(self) -> int | None:
        return self.pk if self.region_id is None else self.region_id

    @property
    def home_region(self) -> Organisation:
        """The region a unit belongs to; a region, and the network, are their own."""
        return self if self.region_id is None else self.region

    @property
    def is_network(self) -> bool:
        return self.kind == self.Kind.NATVERK


class Role(models.TextChoices):
    ANALYTIKER = "analytiker", _("Analytiker")
    FORTROENDEVALD = "fortroendevald", _("Förtroendevald")
    UTFORARE = "utforare", _("Utförare")
    HFS_PROCESSLEDARE = "hfs_processledare", _("HFS-processledare")
    ADMINISTRATOR = "administrator", _("Administratör")
    #: The national coordinator and the network's secretariat: no region's own work, only
    #: what the member regions share and the network's own plan, theme groups and questions.
    SEKRETARIAT = "sekretariat", _("Nätverkets sekretariat")


#: Every role that works inside a region; the secretariat is the one that does not.
REGION_ROLES = frozenset(Role) - {Role.SEKRETARIAT}


class Membership(RegionAudited, models.Model):
    """A user's place: one organisation and one role. A user may hold several (a process
    leader who is an analyst too, a politician on two committees) and acts in the chosen one."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("roll"), max_length=30, choices=Role.choices)
    #: The membership the user acts in; with none chosen, the oldest one.
    chosen = models.BooleanField(_("vald"), default=False)

    class Meta:
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="one_membership_per_place"
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(chosen=True),
                name="one_chosen_membership_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}, {self.organisation}"

    def audit_region_id(self) -> int | None:
        return self.organisation.home_region.pk

    @property
    def region(self) -> Organisation:
        return self.organisation.home_region

    @property
    def can_import(self) -> bool:
        return self.role in {Role.ANALYTIKER, Role.ADMINISTRATOR}

    @property
    def works_in_network(self) -> bool:
        """Whether the HFS network's pages are for this place: its secretariat and those who
        write a region's self-evaluation."""
        from halsogap_web.selfevaluation.access import EVALUATORS

        return self.role in EVALUATORS or self.role == Role.SEKRETARIAT

    @property
    def can_read_audit(self) -> bool:
        return self.role == Role.ADMINISTRATOR

    def choose(self) -> None:
        """Act in this membership from now on (the audit log records the change)."""
        with transaction.atomic():
            for other in Membership.objects.filter(user=self.user_id, chosen=True).exclude(
                pk=self.pk
            ):
                other.chosen = False
                other.save(update_fields=["chosen"])
            self.chosen = True
            self.save(update_fields=["chosen"])


auditlog.register(Organisation)
auditlog.register(Membership)

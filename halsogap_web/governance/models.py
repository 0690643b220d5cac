"""The region's governing documents (styrdokument) and which assignments each one carries.

The seeds ask that "uppdragen följer med i alla styrdokument, målbeskrivningar och
verksamhetsplaner": recording what each document carries lets an assignment show where it
stands, and lets the proposal flag one that the year's verksamhetsplan leaves out.
"""

from __future__ import annotations

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from halsogap_web.audit.regions import RegionAudited


class GoverningDocument(RegionAudited, models.Model):
    class Kind(models.TextChoices):
        REGION_PLAN = "regionplan", _("Regionplan")
        OPERATIONAL_PLAN = "verksamhetsplan", _("Verksamhetsplan")
        BUDGET = "budget", _("Budget")
        ACTION_PLAN = "handlingsplan", _("Handlingsplan")
        OTHER = "annat", _("Annat styrdokument")

    region = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="governing_documents"
    )
    kind = models.CharField(_("slag"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("rubrik"), max_length=200)
    year = models.PositiveSmallIntegerField(_("år"))
    url = models.URLField(
        _("länk till dokumentet"),
        blank=True,
        help_text=_("Där det beslutade dokumentet finns, t.ex. i diariet eller på webben."),
    )
    assignments = models.ManyToManyField(
        "assignments.Assignment",
        blank=True,
        related_name="governing_documents",
        verbose_name=_("uppdrag som dokumentet bär"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "kind", "title"]

    def __str__(self) -> str:
        # "Verksamhetsplan 2027" names its year already; "Regionplan" alone does not.
        return self.title if str(self.year) in self.title else f"{self.title} ({self.year})"

    def get_absolute_url(self) -> str:
        return reverse("governing_document_edit", kwargs={"pk": self.pk})

    def audit_region_id(self) -> int | None:
        return self.region_id


# Which assignments a document carries is part of the steering record: audited.
auditlog.register(GoverningDocument, m2m_fields={"assignments"})

"""The network's follow-up questions to a year's self-evaluation, and each region's answer."""

from __future__ import annotations

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from halsogap.selfevaluation import follow_up
from halsogap_web.accounts.models import Organisation
from halsogap_web.audit.regions import RegionAudited

KIND_CHOICES = [
    (follow_up.SCALE, _("Skattning 1–10")),
    (follow_up.YES_NO, _("Ja eller nej")),
    (follow_up.TEXT, _("Fritext")),
]


class FollowUpQuestion(RegionAudited, models.Model):
    """A question the secretariat adds to every member region's self-evaluation of a year."""

    network = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="follow_up_questions"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    text = models.CharField(_("fråga"), max_length=500)
    kind = models.CharField(_("svarstyp"), max_length=10, choices=KIND_CHOICES)
    position = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "position", "pk"]

    def __str__(self) -> str:
        return self.text

    def audit_region_id(self) -> int | None:
        return self.network_id

    def summary(self, regions) -> follow_up.FollowUpSummary:
        """The answers of the member regions ``regions`` (organisations), with who is missing."""
        answers = [
            follow_up.RegionAnswer(str(a.region), a.value, a.comment)
            for a in self.answers.select_related("region")
        ]
        return follow_up.summarise_answers(
            self.text, self.kind, answers, regions=[str(r) for r in regions]
        )


class FollowUpAnswer(RegionAudited, models.Model):
    """A region's one answer to a follow-up question; the secretariat and the region read it.

    Given to the network, it is filed in the network's audit log and record, not the region's.
    """

    question = models.ForeignKey(FollowUpQuestion, on_delete=models.CASCADE, related_name="answers")
    region = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="follow_up_answers"
    )
    value = models.TextField(_("svar"))
    comment = models.TextField(_("kommentar"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "region"], name="one_answer_per_region")
        ]

    def __str__(self) -> str:
        return f"{self.region}: {self.value[:40]}"

    def audit_region_id(self) -> int | None:
        return self.question.network_id


auditlog.register(FollowUpQuestion)
auditlog.register(FollowUpAnswer)

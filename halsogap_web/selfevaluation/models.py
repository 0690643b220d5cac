"""The standards self-evaluation: network-wide definitions and each region's evaluations."""

from __future__ import annotations

import hashlib

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from halsogap.selfevaluation import Definition, Standard, Statement, parse_definition
from halsogap.selfevaluation.definition import swedish_title
from halsogap_web.accounts.models import Organisation
from halsogap_web.audit.regions import RegionAudited

from .follow_up_models import FollowUpAnswer, FollowUpQuestion  # noqa: F401 (one app's models)

PERSPECTIVE_CHOICES = [
    ("styrning", _("Styr- och ledningsperspektivet")),
    ("patient", _("Individ-/patientperspektivet")),
    ("befolkning", _("Befolkningsperspektivet")),
    ("medarbetare", _("Medarbetarperspektivet")),
]


class StandardsDefinition(RegionAudited, models.Model):
    """A standards file the network uses; shared by every member region."""

    name = models.CharField(_("namn"), max_length=200)
    file_name = models.CharField(_("fil"), max_length=255)
    checksum = models.CharField(max_length=64, unique=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    @transaction.atomic
    def create_from_file(cls, data: bytes, file_name: str, *, name: str, user=None):
        """Parse first (raising DefinitionError with every bad line), then store all of it."""
        parsed = parse_definition(data, file_name)
        checksum = hashlib.sha256(data).hexdigest()
        existing = cls.objects.filter(checksum=checksum).first()
        if existing:
            return existing, False
        definition = cls.objects.create(
            name=name, file_name=file_name, checksum=checksum, uploaded_by=user
        )
        StandardItem.objects.bulk_create(
            StandardItem(definition=definition, code=s.code, title=s.title, position=i)
            for i, s in enumerate(parsed.standards)
        )
        StatementItem.objects.bulk_create(
            StatementItem(
                definition=definition,
                code=s.code,
                text=s.text,
                standard_code=s.standard,
                substandard=s.substandard,
                substandard_title=s.substandard_title,
                perspective=s.perspective,
                short=s.short,
                position=i,
            )
            for i, s in enumerate(parsed.statements)
        )
        return definition, True

    def as_core(self) -> Definition:
        return Definition(
            standards=[Standard(s.code, s.title) for s in self.standards.all()],
            statements=[
                Statement(
                    s.code,
                    s.text,
                    s.standard_code,
                    s.substandard,
                    s.substandard_title,
                    s.perspective,
                    s.short,
                )
                for s in self.statements.all()
            ],
        )

    @property
    def has_full_version(self) -> bool:
        return self.statements.filter(short=False).exists()


class StandardItem(models.Model):
    definition = models.ForeignKey(
        StandardsDefinition, on_delete=models.CASCADE, related_name="standards"
    )
    code = models.CharField(max_length=10)
    title = models.CharField(max_length=300)
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.code}. {swedish_title(self.title)}"


class StatementItem(models.Model):
    definition = models.ForeignKey(
        StandardsDefinition, on_delete=models.CASCADE, related_name="statements"
    )
    code = models.CharField(max_length=20)
    text = models.TextField()
    standard_code = models.CharField(max_length=10)
    substandard = models.CharField(max_length=10, blank=True)
    substandard_title = models.CharField(max_length=300, blank=True)
    perspective = models.CharField(max_length=20, choices=PERSPECTIVE_CHOICES)
    short = models.BooleanField(default=False)
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:60]}"


class Evaluation(RegionAudited, models.Model):
    class Version(models.TextChoices):
        SHORT = "short", _("Kortversion")
        FULL = "full", _("Fullständig version")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Pågår")
        FINISHED = "finished", _("Slutförd")

    region = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="evaluations")
    definition = models.ForeignKey(StandardsDefinition, on_delete=models.PROTECT)
    version = models.CharField(_("version"), max_length=10, choices=Version.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    shared = models.BooleanField(
        _("dela profilen med nätverket"),
        default=False,
        help_text=_("Andra medlemsregioner ser medelvärdena, aldrig kommentarerna."),
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.region}: {self.get_version_display()} {self.started_at:%Y-%m-%d}"

    def audit_region_id(self) -> int | None:
        return self.region_id

    def statements(self):
        statements = self.definition.statements.all()
        return statements.filter(short=True) if self.version == self.Version.SHORT else statements

    def score_map(self) -> dict[str, int | None]:
        return {code: score for code, score in self.scores.values_list("statement__code", "score")}


class Score(RegionAudited, models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    statement = models.ForeignKey(StatementItem, on_delete=models.PROTECT)
    score = models.PositiveSmallIntegerField(
        _("skattning"), null=True, blank=True, choices=[(i, str(i)) for i in range(1, 11)]
    )
    comment = models.TextField(_("kommentar"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "statement"], name="one_score_each"),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=1, score__lte=10),
                name="score_from_1_to_10",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.statement.code}: {self.score}"

    def audit_region_id(self) -> int | None:
        return self.evaluation.region_id


auditlog.register(StandardsDefinition)
auditlog.register(Evaluation)
auditlog.register(Score)

"""Which objects the demo made: every one is marked, so it can be told apart and found again."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class DemoRecord(models.Model):
    """One object the living demo created, under a stable key (so a second load finds it)."""

    key = models.CharField(max_length=120, unique=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return self.key

    @classmethod
    def find(cls, key: str):
        record = cls.objects.filter(key=key).first()
        return record.target if record is not None else None

    @classmethod
    def mark(cls, key: str, obj) -> None:
        cls.objects.update_or_create(
            key=key,
            defaults={
                "content_type": ContentType.objects.get_for_model(obj),
                "object_id": obj.pk,
            },
        )

    @classmethod
    def is_demo(cls, obj) -> bool:
        return cls.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        ).exists()

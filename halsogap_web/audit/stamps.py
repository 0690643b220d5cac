"""How far the steering record has come: the newest audit entry, as a cheap cache stamp.

Every change to a region's steering work (targets, decisions, assignments, recipients, dialogue,
indicators, memberships) is saved through a model that django-auditlog records, so the newest
entry's id changes whenever any of it does; a page part kept under that stamp is rebuilt after
the next change and not before.
"""

from __future__ import annotations

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType


def steering_stamp(*, besides=()) -> int | None:
    """The id of the newest audit entry, leaving out entries about the ``besides`` models.

    A part that follows some model more closely (an activity report changes one need's line,
    not all of them) leaves it out here and stamps it per part instead.
    """
    entries = LogEntry.objects.all()
    if besides:
        types = ContentType.objects.get_for_models(*besides).values()
        entries = entries.exclude(content_type__in=list(types))
    # Newest first along the primary key: the database stops at the first entry that counts.
    return entries.order_by("-id").values_list("id", flat=True).first()

"""Who may read which governing documents: the members of the document's region."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from halsogap_web.accounts.access import require_membership

from .models import GoverningDocument


def get_governing_documents_for_user(user):
    return GoverningDocument.objects.filter(region=require_membership(user).region)


def get_governing_document_for_user(user, pk) -> GoverningDocument:
    return get_object_or_404(get_governing_documents_for_user(user), pk=pk)

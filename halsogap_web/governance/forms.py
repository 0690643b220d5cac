from __future__ import annotations

from django import forms

from halsogap_web.assignments.access import get_assignments_for_user

from .models import GoverningDocument


class GoverningDocumentForm(forms.ModelForm):
    class Meta:
        model = GoverningDocument
        fields = ["kind", "title", "year", "url", "assignments"]
        widgets = {"assignments": forms.CheckboxSelectMultiple}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the region's own assignments, through the same helper as the pages.
        self.fields["assignments"].queryset = get_assignments_for_user(user).order_by("title")

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import FocusArea, GoodExample, PlanActivity


class ActivityForm(forms.ModelForm):
    class Meta:
        model = PlanActivity
        fields = ["description", "responsible", "time_plan", "status"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class FocusAreaForm(forms.ModelForm):
    class Meta:
        model = FocusArea
        fields = ["title", "perspective", "follow_up"]
        widgets = {"follow_up": forms.Textarea(attrs={"rows": 2})}


class GoodExampleForm(forms.ModelForm):
    class Meta:
        model = GoodExample
        fields = ["kind", "title", "perspective", "description", "achieved"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "achieved": forms.Textarea(attrs={"rows": 3}),
        }


class CopyExampleForm(forms.Form):
    focus_area = forms.ModelChoiceField(
        label=_("Till fokusområde"), queryset=FocusArea.objects.none()
    )

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["focus_area"].queryset = FocusArea.objects.filter(
            plan__region=region
        ).select_related("plan")
        self.fields["focus_area"].label_from_instance = lambda a: f"{a.plan.title}: {a.title}"

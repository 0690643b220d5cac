from django import forms
from django.utils.translation import gettext_lazy as _

from halsogap.priorities import check_criteria
from halsogap_web.lib.forms import SwedishNumbers

from .models import Assessment, Measure, PriorityDecision


class MeasureForm(SwedishNumbers, forms.ModelForm):
    class Meta:
        model = Measure
        fields = [
            "code",
            "title",
            "kind",
            "perspective",
            "habit",
            "target_group",
            "evidence",
            "cost_one_off",
            "cost_yearly",
            "effect_indicator",
            "effect_per_person",
            "reach",
            "uptake",
            "source",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, indicators, **kwargs):
        # The effect indicator is chosen among those the user may read, so that a measure
        # can never point at another region's unpublished indicator.
        super().__init__(*args, **kwargs)
        self.fields["effect_indicator"].queryset = indicators

    def clean_uptake(self):
        value = self.cleaned_data.get("uptake")
        if value is not None and not 0 <= value <= 1:
            raise forms.ValidationError(_("Andelen ska vara mellan 0 och 1."))
        return value

    def clean(self):
        data = super().clean()
        for field in ("cost_one_off", "cost_yearly", "effect_per_person", "reach"):
            if data.get(field) is not None and data[field] < 0:
                self.add_error(field, _("Får inte vara negativt."))
        if data.get("indicator_effect") is not None and not (
            data.get("effect_indicator") and data.get("indicator_effect_kind")
        ):
            self.add_error(
                "indicator_effect_kind",
                _("Ange vilken indikator effekten gäller och om den är absolut eller relativ."),
            )
        return data


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = [
            "need_group",
            "indicator",
            "measure",
            "severity",
            "benefit",
            "cost_band",
            "evidence",
            "criteria",
        ]
        widgets = {"criteria": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, need_groups, indicators, measures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need_group"].queryset = need_groups
        self.fields["indicator"].queryset = indicators
        self.fields["measure"].queryset = measures

    def clean_criteria(self):
        text = self.cleaned_data.get("criteria", "")
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        refused = [v for v in check_criteria(lines) if not v.allowed]
        if refused:
            raise forms.ValidationError([v.explanation for v in refused])
        return text


class FinalRankForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = ["final_rank", "rationale"]
        widgets = {"rationale": forms.Textarea(attrs={"rows": 2})}

    def clean_final_rank(self):
        value = self.cleaned_data.get("final_rank", "").strip()
        if value and value not in {str(i) for i in range(1, 11)} | {"icke-göra", "FoU"}:
            raise forms.ValidationError(_("Ange en rang 1–10, icke-göra eller FoU."))
        return value


class DecisionForm(SwedishNumbers, forms.ModelForm):
    class Meta:
        model = PriorityDecision
        fields = [
            "body",
            "decided_on",
            "paragraph",
            "reference",
            "decided_by",
            "rationale",
            "published",
        ]
        widgets = {
            "decided_on": forms.DateInput(attrs={"type": "date"}),
            "rationale": forms.Textarea(attrs={"rows": 3}),
        }

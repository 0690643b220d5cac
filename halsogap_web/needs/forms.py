from django import forms
from django.utils.translation import gettext_lazy as _

from halsogap_web.lib.forms import SwedishNumbers
from halsogap_web.observations.models import Area, Indicator

from .models import AnalysisComment, AnalysisIndicator, NeedComment, NeedGroup, NeedsAnalysis


class NeedsAnalysisForm(forms.ModelForm):
    class Meta:
        model = NeedsAnalysis
        fields = ["title", "year", "optimal_method", "introduction", "dialogue_notes"]
        widgets = {
            "introduction": forms.Textarea(attrs={"rows": 3}),
            "dialogue_notes": forms.Textarea(attrs={"rows": 4}),
        }


class NeedGroupForm(forms.ModelForm):
    class Meta:
        model = NeedGroup
        fields = [
            "name",
            "description",
            "area_rule",
            "area_codes",
            "background_indicator",
            "quintile",
            "sex",
            "age_band",
            "condition",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    area_codes = forms.MultipleChoiceField(
        label=_("Valda kommuner"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        self.fields["area_codes"].choices = [
            (a.code, a.name)
            for a in Area.objects.filter(level="kommun", parent=region.area).order_by("name")
        ]
        self.fields["background_indicator"].queryset = Indicator.objects.filter(
            organisation__isnull=True, kind="background"
        )

    def clean(self):
        data = super().clean()
        rule = data.get("area_rule")
        if rule == NeedGroup.AreaRule.CHOSEN and not data.get("area_codes"):
            self.add_error("area_codes", _("Välj minst en kommun."))
        if rule in {NeedGroup.AreaRule.QUINTILE, NeedGroup.AreaRule.REGION_QUINTILE}:
            if not data.get("background_indicator"):
                self.add_error("background_indicator", _("Välj en bakgrundsindikator."))
            if not data.get("quintile"):
                self.add_error("quintile", _("Välj en kvintil."))
        return data


class ItemForm(SwedishNumbers, forms.ModelForm):
    class Meta:
        model = AnalysisIndicator
        fields = [
            "indicator",
            "severity",
            "target_kind",
            "best_n",
            "best_level",
            "target_value",
            "change_percent",
            "baseline_period",
            "target_period",
            "target_rationale",
            "quality_note",
        ]
        widgets = {
            "target_rationale": forms.Textarea(attrs={"rows": 2}),
            "quality_note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators
        self.fields["severity"].help_text = _(
            "Hur allvarligt behovet är i den här analysen (styr rangordningen)."
        )
        # Only a "best N" target compares with others; the other kinds leave it empty.
        self.fields["best_level"].required = False

    def clean(self):
        data = super().clean()
        data["best_level"] = data.get("best_level") or "region"
        kind = data.get("target_kind")
        if kind == AnalysisIndicator.TargetKind.ABSOLUTE and data.get("target_value") is None:
            self.add_error("target_value", _("Ange målvärdet."))
        if kind == AnalysisIndicator.TargetKind.RELATIVE:
            for field in ("change_percent", "baseline_period"):
                if data.get(field) is None:
                    self.add_error(field, _("Behövs för ett relativt mål."))
        if kind == AnalysisIndicator.TargetKind.BEST and not data.get("best_n"):
            self.add_error("best_n", _("Ange hur många av de bästa (minst 1)."))
        indicator = data.get("indicator")
        if indicator is not None and indicator.polarity == Indicator.Polarity.NONE:
            self.add_error(
                "indicator",
                _("Indikatorn saknar polaritet: ett gap kräver att högre eller lägre är bättre."),
            )
        return data


class TargetForm(ItemForm):
    """The target of a need already in the analysis: kind, value, severity and why."""

    class Meta(ItemForm.Meta):
        fields = [f for f in ItemForm.Meta.fields if f not in {"indicator", "quality_note"}]

    def __init__(self, *args, **kwargs):
        super(ItemForm, self).__init__(*args, **kwargs)
        self.fields["best_level"].required = False
        self.fields["target_rationale"].required = True
        self.fields["target_rationale"].help_text = _("Varför målet sätts så; sparas i historiken.")


class NeedCommentForm(forms.ModelForm):
    class Meta:
        model = NeedComment
        fields = ["step", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


class CommentForm(forms.ModelForm):
    class Meta:
        model = AnalysisComment
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

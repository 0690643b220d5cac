from django import forms
from django.utils.translation import gettext_lazy as _

from halsogap.assignments.activity import LATEST
from halsogap_web.lib.forms import SwedishNumbers

from .models import Assignment, Goal, Milestone, PlanIndicator, Recipient


class AssignmentForm(SwedishNumbers, forms.ModelForm):
    class Meta:
        model = Assignment
        fields = [
            "title",
            "description",
            "time_plan",
            "starts_on",
            "ends_on",
            "budget",
            "perspective",
            "kind",
            "between_principals",
            "partner_principal",
            "need_group",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "time_plan": forms.Textarea(attrs={"rows": 2}),
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, need_groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need_group"].queryset = need_groups

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("Slutdatum kan inte ligga före startdatum."))
        if data.get("between_principals") and not data.get("partner_principal"):
            self.add_error("partner_principal", _("Ange den samverkande huvudmannen."))
        if data.get("budget") is not None and data["budget"] < 0:
            self.add_error("budget", _("Budgeten kan inte vara negativ."))
        return data


class RecipientForm(forms.ModelForm):
    class Meta:
        model = Recipient
        fields = ["organisation", "responsibility"]
        widgets = {"responsibility": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["kind", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["due_on", "text"]
        widgets = {"due_on": forms.DateInput(attrs={"type": "date"})}


class PlanIndicatorForm(SwedishNumbers, forms.ModelForm):
    class Meta:
        model = PlanIndicator
        fields = [
            "goal",
            "indicator",
            "role",
            "baseline",
            "baseline_period",
            "target",
            "target_date",
            "source",
            "frequency",
            "period_kind",
            "aggregation",
            "reporter",
        ]
        widgets = {"target_date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, goals, indicators, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = goals
        self.fields["indicator"].queryset = indicators
        self.fields["reporter"].queryset = organisations
        # Left out, a line reads each value as it is (a share or a rate).
        self.fields["aggregation"].required = False

    def clean_aggregation(self):
        return self.cleaned_data.get("aggregation") or LATEST


class DecisionForm(forms.Form):
    decision_body = forms.CharField(label=_("Beslutande organ"), max_length=200)
    decided_on = forms.DateField(
        label=_("Beslutsdatum"), widget=forms.DateInput(attrs={"type": "date"})
    )
    decided_by = forms.CharField(label=_("Beslutat av"), max_length=300)
    decision_paragraph = forms.CharField(label=_("Paragraf"), max_length=20, required=False)
    decision_reference = forms.CharField(label=_("Diarienummer"), max_length=60, required=False)


class AcceptanceForm(forms.Form):
    acceptance_form = forms.ChoiceField(
        label=_("Accepteras genom"), choices=Assignment.Acceptance.choices
    )


class ReportForm(forms.Form):
    period = forms.RegexField(
        label=_("Period"),
        regex=r"(?i)^\d{4}(H[12]|K[1-4]|M(0[1-9]|1[0-2]))?$",
        error_messages={"invalid": _("Ange t.ex. 2026, 2026H1, 2026K1 eller 2026M03.")},
    )

    def clean_period(self):
        return self.cleaned_data["period"].strip().upper()

"""The form for a dialogue with the population: the text boxes are read by the core's parsers,
so a participant line that cannot be read is refused with its line number."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from halsogap.needs.dialogues import DialogueInputError, parse_lines, parse_participants

from .access import get_need_groups_for_user, get_needs_for_user
from .dialogue_models import PopulationDialogue


class DialogueForm(forms.ModelForm):
    participants_text = forms.CharField(
        label=_("Vilka dialogen nådde"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "En grupp per rad med antal deltagare efter semikolon, t.ex. ”Unga 16–24 år; 14”. "
            "Antal under röjandegränsen visas aldrig som siffra."
        ),
    )
    reached_text = forms.CharField(
        label=_("Svårnådda grupper som deltog"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("En grupp per rad, eller åtskilda med kommatecken."),
    )
    missed_text = forms.CharField(
        label=_("Svårnådda grupper som inte nåddes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Grupper ni ville nå men inte nådde – det säger också något om underlaget."),
    )
    themes_text = forms.CharField(
        label=_("Teman"),
        required=False,
        max_length=500,
        help_text=_("Åtskilda med kommatecken, t.ex. ”rörelse, trygghet, mat”."),
    )

    field_order = [
        "kind",
        "held_on",
        "title",
        "participants_text",
        "reached_text",
        "missed_text",
        "said",
        "themes_text",
        "need_groups",
        "needs",
    ]

    class Meta:
        model = PopulationDialogue
        fields = ["kind", "held_on", "title", "said", "need_groups", "needs"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "said": forms.Textarea(attrs={"rows": 6}),
            "need_groups": forms.CheckboxSelectMultiple,
            "needs": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "said": _("Vad deltagarna sade, sammanfattat – inga namn eller personuppgifter.")
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate
        # The same helpers as the views: only the region's own groups and needs can be linked.
        self.fields["need_groups"].queryset = get_need_groups_for_user(user)
        self.fields["needs"].queryset = get_needs_for_user(user).order_by(
            "-analysis__year", "indicator__title"
        )
        self.fields["needs"].label_from_instance = lambda n: (
            f"{n.indicator.title} ({n.analysis.title})"
        )
        if self.instance.pk:
            self.initial.setdefault(
                "participants_text",
                "\n".join(f"{g}; {c}" for g, c in self.instance.participants),
            )
            self.initial.setdefault("reached_text", "\n".join(self.instance.hard_to_reach_reached))
            self.initial.setdefault("missed_text", "\n".join(self.instance.hard_to_reach_missed))
            self.initial.setdefault("themes_text", ", ".join(self.instance.themes))

    def clean_participants_text(self):
        try:
            return parse_participants(self.cleaned_data["participants_text"])
        except DialogueInputError as error:
            raise forms.ValidationError(str(error)) from error

    def save(self, commit=True):
        dialogue = super().save(commit=False)
        dialogue.participants = [list(pair) for pair in self.cleaned_data["participants_text"]]
        dialogue.hard_to_reach_reached = list(parse_lines(self.cleaned_data["reached_text"]))
        dialogue.hard_to_reach_missed = list(parse_lines(self.cleaned_data["missed_text"]))
        dialogue.themes = list(parse_lines(self.cleaned_data["themes_text"]))
        if commit:
            dialogue.save()
            self.save_m2m()
        return dialogue

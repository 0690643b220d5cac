"""Forms of the network level: the network's plan, theme groups, follow-up questions."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from halsogap.selfevaluation import follow_up
from halsogap_web.accounts.models import REGION_ROLES, Membership
from halsogap_web.selfevaluation.models import FollowUpQuestion

from .theme_models import ThemeGroup


def _year_field(label):
    return forms.IntegerField(
        label=label,
        min_value=2000,
        max_value=2100,
        initial=lambda: timezone.localdate().year + 1,
        error_messages={
            "min_value": _("Ange ett år från 2000."),
            "max_value": _("Ange ett år till 2100."),
        },
    )


class NetworkPlanForm(forms.Form):
    year = _year_field(_("Verksamhetsår"))


class ThemeGroupForm(forms.ModelForm):
    class Meta:
        model = ThemeGroup
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.network = network

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = ThemeGroup.objects.filter(network=self.instance.network, name__iexact=name)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Det finns redan en temagrupp med det namnet."))
        return name


class ThemeMemberForm(forms.Form):
    """A person from a member region, in the place they hold there."""

    membership = forms.ModelChoiceField(label=_("Person"), queryset=Membership.objects.none())
    leads = forms.BooleanField(label=_("Sammankallande"), required=False)

    def __init__(self, *args, group: ThemeGroup, **kwargs):
        super().__init__(*args, **kwargs)
        self.group = group
        self.fields["membership"].queryset = (
            Membership.objects.filter(role__in=REGION_ROLES, organisation__region__isnull=True)
            .exclude(organisation__kind="natverk")
            .exclude(theme_groups__group=group)
            .select_related("user", "organisation")
            .order_by("organisation__name", "user__first_name", "user__last_name")
        )
        self.fields["membership"].label_from_instance = lambda m: (
            f"{m.user.get_full_name() or m.user.username}, {m.get_role_display()}, {m.organisation}"
        )


class FollowUpQuestionForm(forms.ModelForm):
    year = _year_field(_("Självevalueringens år"))

    class Meta:
        model = FollowUpQuestion
        fields = ["year", "text", "kind"]
        widgets = {"text": forms.TextInput(attrs={"size": 70})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A scale from 1 to 10, as the self-evaluation's own statements are answered.
        self.fields["kind"].choices = list(self.fields["kind"].choices)[1:]
        self.fields["kind"].initial = follow_up.SCALE


class FollowUpAnswerForm(forms.Form):
    """One region's answer to one question, checked as the core reads it."""

    value = forms.CharField(label=_("Svar"), max_length=follow_up.MAX_TEXT + 100)
    comment = forms.CharField(
        label=_("Kommentar (frivillig)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, question: FollowUpQuestion, **kwargs):
        super().__init__(*args, **kwargs)
        self.question = question
        if question.kind == follow_up.SCALE:
            self.fields["value"].widget = forms.Select(
                choices=[("", _("Välj"))] + [(str(i), str(i)) for i in range(1, 11)]
            )
        elif question.kind == follow_up.YES_NO:
            self.fields["value"].widget = forms.RadioSelect(
                choices=[(follow_up.YES, _("Ja")), (follow_up.NO, _("Nej"))]
            )
        else:
            self.fields["value"].widget = forms.Textarea(attrs={"rows": 3})

    def clean_value(self):
        try:
            return follow_up.parse_answer(self.question.kind, self.cleaned_data["value"])
        except follow_up.AnswerError as error:
            raise forms.ValidationError(str(error)) from error

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ArtefactLink, Cycle, CycleStep, WheelTemplateStep


class StartCycleForm(forms.Form):
    year = forms.IntegerField(
        label=_("År"),
        min_value=2000,
        max_value=2100,
        help_text=_(
            "Förslaget är det år vars steg till största delen ligger framför oss: i december "
            "det kommande planeringsåret. Välj ett annat år om du vill."
        ),
    )

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region

    def clean_year(self):
        year = self.cleaned_data["year"]
        if Cycle.objects.filter(region=self.region, year=year).exists():
            raise forms.ValidationError(
                _("Årshjulet för %(year)s är redan startat."), params={"year": year}
            )
        return year


class StepForm(forms.ModelForm):
    class Meta:
        model = CycleStep
        fields = ["status", "start_date", "due_date", "note"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        data = super().clean()
        start, due = data.get("start_date"), data.get("due_date")
        if start and due and due < start:
            self.add_error("due_date", _("Slutdatum kan inte ligga före startdatum."))
        return data


class ArtefactForm(forms.ModelForm):
    class Meta:
        model = ArtefactLink
        fields = ["kind", "title", "url"]

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        if not (url.startswith("/") or url.startswith("https://")):
            raise forms.ValidationError(
                _(
                    "Ange en sida i Hälsogap som börjar med / eller en adress som börjar med https://."
                )
            )
        return url


TemplateFormSet = forms.modelformset_factory(
    WheelTemplateStep, fields=["month", "owner_role"], extra=0
)

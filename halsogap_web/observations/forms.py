from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Indicator

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fil (CSV, XLSX, JSON-stat, PX-Webs JSON eller PC-Axis)"),
        help_text=_(
            "Kolada-format eller Hälsogaps eget format; UTF-8 eller Windows-1252, "
            "semikolon eller komma, decimalkomma eller decimalpunkt. Tabeller hämtade ur "
            "PX-Web (SCB, Folkhälsodata) går att läsa in som de är: JSON-stat 2.0, PX-Webs "
            "JSON eller .px."
        ),
    )
    file_format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=[
            ("", _("Känn igen automatiskt")),
            ("kolada", _("Kolada (lång CSV)")),
            ("tidy", _("Hälsogaps format")),
            ("json-stat2", _("JSON-stat 2.0 (PxWebApi 2.0)")),
            ("pxweb-json", _("PX-Webs JSON (API v1)")),
            ("px", _("PC-Axis (.px)")),
        ],
    )
    indicator = forms.CharField(
        label=_("Indikatorkod för en tabell ur PX-Web (valfri)"),
        required=False,
        max_length=50,
        help_text=_(
            "Tabellens värden läses in till denna indikator. Utan kod används tabellinnehållets "
            "kod (t.ex. BE0101N1), som då måste finnas som indikator."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Filen är större än 50 MB."))
        if not upload.name.lower().endswith((".csv", ".txt", ".xlsx", ".json", ".px")):
            raise forms.ValidationError(
                _("Filen %(name)s är varken CSV, XLSX, JSON eller PC-Axis (.px)."),
                params={"name": upload.name},
            )
        return upload


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "code",
            "title",
            "description",
            "unit",
            "polarity",
            "kind",
            "source",
            "producer",
            "numerator_definition",
            "denominator_definition",
            "quality_notes",
            "is_health_state",
            "precision",
            "is_published",
        ]
        widgets = {
            f: forms.Textarea(attrs={"rows": 3})
            for f in [
                "description",
                "numerator_definition",
                "denominator_definition",
                "quality_notes",
            ]
        }

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not code.replace("_", "").replace("-", "").isalnum():
            raise forms.ValidationError(_("Koden får bara innehålla bokstäver, siffror, - och _."))
        return code

"""The source definition form: the selection is typed one variable per line."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DataSource


def parse_selection(text: str) -> dict[str, list[str]]:
    """``"Region: 0180, 0127\\nTid: top(3)"`` → ``{"Region": ["0180", "0127"], "Tid": ["top(3)"]}``.

    >>> parse_selection("Region: 0180, 0127\\n\\nTid: top(3)")
    {'Region': ['0180', '0127'], 'Tid': ['top(3)']}
    """
    selection: dict[str, list[str]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        variable, colon, values = line.partition(":")
        codes = [v.strip() for v in values.split(",") if v.strip()]
        if not colon or not variable.strip() or not codes:
            raise forms.ValidationError(
                _(
                    "Rad %(n)s: skriv variabel: värde, värde (t.ex. ”Tid: top(3)”), fick ”%(line)s”."
                ),
                params={"n": number, "line": line.strip()},
            )
        if variable.strip() in selection:
            raise forms.ValidationError(
                _("Rad %(n)s: variabeln %(v)s finns redan."),
                params={"n": number, "v": variable.strip()},
            )
        selection[variable.strip()] = codes
    if not selection:
        raise forms.ValidationError(_("Ange minst en variabel i urvalet."))
    return selection


class DataSourceForm(forms.ModelForm):
    selection_text = forms.CharField(
        label=_("Urval"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "En variabel per rad: ”Region: 0180, 0127”, ”Tid: top(3)”, ”Kon: *”. "
            "För Kolada ”year: 2021, 2022” (och ev. ”municipality: 0180”); för "
            "Socialstyrelsen t.ex. ”matt: 2”, ”region: 0, 1”, ”ar: 2023”."
        ),
    )

    class Meta:
        model = DataSource
        fields = ["name", "kind", "url", "table", "indicator_code", "schedule"]
        help_texts = {
            "url": _(
                "PxWebApi 2.0: https://statistikdatabasen.scb.se/api/v2 · PX-Web v1: tabellens "
                "API-adress · Kolada: https://api.kolada.se/v3 · Socialstyrelsen: "
                "https://sdb.socialstyrelsen.se/api/v1/sv"
            ),
            "table": _("Tabell-id (TAB638), tabellens namn (v1), KPI:er (U01402) eller databas."),
            "indicator_code": _(
                "Hälsogaps indikator som värdena läses in till; tomt = källans egen kod."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["selection_text"] = self.instance.selection_text

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        if not url.startswith(("https://", "http://")):
            raise forms.ValidationError(
                _("Adressen ska börja med https:// (fick ”%(u)s”)."), params={"u": url}
            )
        return url

    def clean_selection_text(self):
        return parse_selection(self.cleaned_data["selection_text"])

    def save(self, commit=True):
        self.instance.selection = self.cleaned_data["selection_text"]
        return super().save(commit=commit)

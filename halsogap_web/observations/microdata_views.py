"""A region's person-level extract: summed in the request by the core, never stored.

The upload is written to a private temporary folder only for DuckDB (or, when
``HALSOGAP_SPARK_MASTER`` is set, Spark) to stream it, and the folder is removed before the
response, whatever happens; only the aggregates (numerators and
populations per area, year, sex and age band) are checked and loaded, as one load batch.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from halsogap.imports import ImportFileError, parse_source_table
from halsogap_web.accounts.access import require_membership

from .import_views import IMPORTERS
from .importing import store_parsed, writable_indicator_codes
from .models import Area


class MicrodataForm(forms.Form):
    file = forms.FileField(label=_("Fil med en rad per person (CSV eller Parquet)"))
    area = forms.CharField(label=_("Kolumn med områdeskod"), initial="deso")
    age = forms.CharField(label=_("Kolumn med ålder i hela år"), initial="alder")
    year = forms.CharField(label=_("Kolumn med år"), initial="ar")
    sex = forms.CharField(
        label=_("Kolumn med kön (1 män, 2 kvinnor; valfri)"), required=False, initial="kon"
    )
    weight = forms.CharField(label=_("Kolumn med vikt (enkätdata; valfri)"), required=False)
    events = forms.CharField(
        label=_("Händelser och indikatorer"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "En per rad: kolumn=indikatorkod, t.ex. ”diabetes=HG_DIABETES”. Kolumnen har 0/1 eller ett antal."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".parquet")):
            raise forms.ValidationError(
                _("Filen %(n)s är varken CSV eller Parquet."), params={"n": upload.name}
            )
        return upload

    def clean_events(self):
        events = {}
        for number, line in enumerate(self.cleaned_data["events"].splitlines(), start=1):
            if not line.strip():
                continue
            column, equals, code = (part.strip() for part in line.partition("="))
            if not equals or not column or not code:
                raise forms.ValidationError(
                    _("Rad %(n)s: skriv kolumn=indikatorkod, fick ”%(l)s”."),
                    params={"n": number, "l": line.strip()},
                )
            events[column] = code
        if not events:
            raise forms.ValidationError(_("Ange minst en händelse."))
        return events


@login_required
@require_http_methods(["GET", "POST"])
def microdata_upload(request):
    membership = require_membership(request.user, allowed=IMPORTERS)
    # Imported here: the aggregation engines (Ibis, DuckDB) take a second to load, which
    # every other page and management command would otherwise pay at start.
    from halsogap.microdata import (
        MicrodataError,
        MicrodataSpec,
        aggregate_microdata,
        microdata_observations,
        spark_session,
    )

    form = MicrodataForm(request.POST or None, request.FILES or None)
    outcome, problems = None, []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        spec = MicrodataSpec(
            data["area"].strip(),
            data["age"].strip(),
            data["year"].strip(),
            list(data["events"]),
            sex=data["sex"].strip() or None,
            weight=data["weight"].strip() or None,
        )
        upload = data["file"]
        try:
            with tempfile.TemporaryDirectory(prefix="halsogap-upload-") as folder:
                path = Path(folder) / Path(upload.name).name
                with path.open("wb") as out:
                    for chunk in upload.chunks():
                        out.write(chunk)
                master = settings.HALSOGAP_SPARK_MASTER
                aggregates = aggregate_microdata(
                    path, spec, spark=spark_session(master) if master else None
                )
            table = microdata_observations(
                aggregates, data["events"], threshold=settings.HALSOGAP_DISCLOSURE_THRESHOLD
            )
            table.metadata.update(
                {"table": upload.name, "persons_summed": int(aggregates["population"].sum())}
            )
            parsed = parse_source_table(
                table,
                upload.name,
                kind="tidy",
                known_areas=set(Area.objects.values_list("code", flat=True)),
                known_indicators=writable_indicator_codes(organisation=membership.region),
            )
        except (MicrodataError, ImportFileError) as error:
            problems = getattr(error, "problems", None) or [str(error)]
        else:
            outcome = store_parsed(
                parsed,
                file_name=f"{upload.name} (summerad mikrodata)",
                organisation=membership.region,
                user=request.user,
            )
            problems = outcome.errors
    return TemplateResponse(
        request,
        "imports/microdata.html",
        {
            "form": form,
            "outcome": outcome,
            "problems": problems,
            "threshold": settings.HALSOGAP_DISCLOSURE_THRESHOLD,
        },
    )

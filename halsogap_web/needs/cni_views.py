"""Care Need Index per primary-care unit and the supplementary assignment's eligibility rule."""

from __future__ import annotations

from auditlog.context import set_actor
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from halsogap.needs import CniError, CniFileError, care_need_index, read_cni_counts
from halsogap.needs.cni import national_points
from halsogap.needs.cni_reading import read_cni_reference
from halsogap_web.accounts.access import require_membership
from halsogap_web.accounts.models import Role
from halsogap_web.lib.forms import SwedishNumbers
from halsogap_web.observations.models import Area

from .care_need import cni_table, get_rule_for_region, save_units
from .models import EligibilityRule

EDITORS = {Role.ANALYTIKER, Role.ADMINISTRATOR}


class RuleForm(SwedishNumbers, forms.ModelForm):
    reference_file = forms.FileField(
        label=gettext_lazy("… eller en fil med rikets poäng per variabel (CSV eller XLSX)"),
        required=False,
        help_text=gettext_lazy(
            "Rubrikrad variabel;poäng och en rad per variabel; summan blir rikets referens."
        ),
    )

    class Meta:
        model = EligibilityRule
        fields = ["cni_threshold", "min_listed", "national_points", "reference_year"]

    def clean_cni_threshold(self):
        value = self.cleaned_data["cni_threshold"]
        if not 0 < value < 10:
            raise forms.ValidationError(_("Tröskeln ska vara ett tal mellan 0 och 10."))
        return value

    def clean_reference_year(self):
        year = self.cleaned_data["reference_year"]
        if year is not None and not 2000 <= year <= 2100:
            raise forms.ValidationError(_("Året ska vara ett årtal, t.ex. 2025."))
        return year

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("reference_file")
        try:
            if upload:
                points = read_cni_reference(upload.read(), upload.name)
                cleaned["national_points"] = national_points(points)
            elif cleaned.get("national_points") is not None:
                cleaned["national_points"] = national_points(cleaned["national_points"])
        except CniFileError as error:
            for problem in error.messages():
                self.add_error("reference_file", problem)
        except CniError as error:
            self.add_error("national_points", str(error))
        return cleaned

    def save(self, commit=True):
        # A value read from the file replaces what the field held.
        self.instance.national_points = self.cleaned_data.get("national_points")
        return super().save(commit=commit)


class CountsUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Fil med antal per vårdcentral (CSV eller XLSX)"))


@login_required
@require_http_methods(["GET", "POST"])
def cni_overview(request):
    membership = require_membership(request.user)
    region = membership.region
    rule = get_rule_for_region(region)
    can_edit = membership.role in EDITORS
    saving_rule = "save_rule" in request.POST
    rule_form = RuleForm(
        request.POST if saving_rule else None,
        request.FILES if saving_rule else None,
        instance=rule,
    )
    upload_form = CountsUploadForm(
        request.POST if "upload" in request.POST else None,
        request.FILES if "upload" in request.POST else None,
    )
    problems = []
    if request.method == "POST":
        require_membership(request.user, allowed=EDITORS)
        if "save_rule" in request.POST and rule_form.is_valid():
            with set_actor(request.user):
                rule_form.save()
            messages.success(request, _("Regeln är sparad."))
            return redirect("cni_overview")
        if "upload" in request.POST and upload_form.is_valid():
            upload = upload_form.cleaned_data["file"]
            try:
                counts = read_cni_counts(
                    upload.read(),
                    upload.name,
                    known_kommuner=set(
                        Area.objects.filter(level="kommun").values_list("code", flat=True)
                    ),
                )
                care_need_index(counts, reference=rule.reference)
            except CniFileError as error:
                problems = error.messages()
            except ValueError as error:
                problems = getattr(error, "problems", None) or [str(error)]
            else:
                with set_actor(request.user):
                    created, updated = save_units(counts, region=region)
                messages.success(
                    request,
                    _("%(c)s nya och %(u)s uppdaterade vårdcentraler.")
                    % {"c": created, "u": updated},
                )
                return redirect("cni_overview")
    table = cni_table(region, rule)
    return TemplateResponse(
        request,
        "needs/cni.html",
        {
            "rows": table.to_dicts(),
            "rule": rule,
            "rule_form": rule_form,
            "upload_form": upload_form,
            "problems": problems,
            "can_edit": can_edit,
            "any_synthetic": table.height > 0 and table["synthetic"].any(),
            "eligible_count": int(table["eligible"].sum()) if table.height else 0,
            "reference_text": rule.reference_text,
        },
    )

"""The user's own API keys: make one (shown once), see them, revoke one."""

from __future__ import annotations

from auditlog.context import set_actor
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from halsogap_web.accounts.access import require_membership

from .models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Vad ska nyckeln användas till?"),
        max_length=100,
        help_text=gettext_lazy("T.ex. ”Rapportering från journalsystemet”."),
    )


def get_api_tokens_for_user(user):
    """A user's own keys; nobody else's, whatever the role."""
    return ApiToken.objects.filter(user=user)


@login_required
@require_http_methods(["GET", "POST"])
def token_index(request):
    membership = require_membership(request.user)
    form = TokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        with set_actor(request.user):
            _token, new_key = ApiToken.issue(request.user, form.cleaned_data["name"])
        form = TokenForm()
    return TemplateResponse(
        request,
        "api/tokens.html",
        {
            "form": form,
            "new_key": new_key,
            "tokens": get_api_tokens_for_user(request.user),
            "membership": membership,
        },
    )


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(get_api_tokens_for_user(request.user), pk=pk)
    with set_actor(request.user):
        token.revoke()
    messages.success(
        request, _("Nyckeln ”%(n)s” är återkallad och fungerar inte längre.") % {"n": token.name}
    )
    return redirect("api_tokens")

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from . import services
from .forms import PreferencesForm


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_preferences(
                user=request.user, **{name: form.cleaned_data[name] for name in form.Meta.fields}
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your preferences are saved.")
            return redirect("account_preferences")
    return render(request, "account/preferences.html", {"form": form})


# --- Account life-cycle: my data, delete my account ----------------------------------------

import json  # noqa: E402

from django.contrib.auth import logout  # noqa: E402

from . import selectors  # noqa: E402
from .forms import DeleteAccountForm  # noqa: E402


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    return render(request, "account/my_data.html")


def _download(content: str, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def my_data_json(request: HttpRequest) -> HttpResponse:
    data = selectors.my_data(request.user)
    return _download(json.dumps(data, indent=2, ensure_ascii=False), "actionsets-my-data.json", "application/json")


@login_required
def my_data_markdown(request: HttpRequest) -> HttpResponse:
    return _download(selectors.my_data_markdown(selectors.my_data(request.user)), "actionsets-my-data.md",
                     "text/markdown")


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.delete_account(user=request.user)
        logout(request)
        return redirect("account_deleted")
    return render(request, "account/delete.html", {"form": form})


def account_deleted(request: HttpRequest) -> HttpResponse:
    return render(request, "account/deleted.html")

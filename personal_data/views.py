"""My data: download everything I wrote, and delete my account (docs/accounts.md)."""

import json

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.forms import DeleteAccountForm

from . import selectors, services


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
def my_data_files(request: HttpRequest) -> HttpResponse:
    """Every file I uploaded, as one ZIP."""
    response = FileResponse(selectors.my_files_zip(request.user), as_attachment=True,
                            filename="actionsets-my-files.zip", content_type="application/zip")
    response["Cache-Control"] = "no-store"
    return response


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

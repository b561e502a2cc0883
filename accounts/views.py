from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from . import services
from .pages import preferences_page
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
    return render(request, "account/preferences.html",
                  {"form": form, **preferences_page.collect(user=request.user)})

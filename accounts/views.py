from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from . import services
from .forms import PictureForm, PreferencesForm
from .models import ProfilePicture
from .pages import preferences_page
from .pictures import picture_response


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
            # In the language just chosen: the next page is in it too.
            with translation.override(request.user.language or translation.get_language()):
                messages.success(request, gettext("Your preferences are saved."))
            return redirect("account_preferences")
    return _preferences_page(request, form, PictureForm())


def _preferences_page(request, form, picture_form, status=200):
    return render(request, "account/preferences.html",
                  {"form": form, "picture_form": picture_form, **preferences_page.collect(user=request.user)},
                  status=status)


@login_required
@require_POST
def picture(request: HttpRequest) -> HttpResponse:
    """Upload or remove my picture (Preferences). A refused file keeps the rest of the page as it was."""
    form = PictureForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            if form.cleaned_data["remove"]:
                services.remove_profile_picture(user=request.user)
                messages.success(request, gettext("Your picture is removed: your set sees your initials."))
            else:
                services.set_profile_picture(user=request.user, upload=form.cleaned_data["picture"])
                messages.success(request, gettext("Your picture is saved. The members of your sets see it beside your name."))
            return redirect(f"{reverse('account_preferences')}#picture")
        except ValidationError as error:
            form.add_error("picture", error)
    return _preferences_page(request, PreferencesForm(instance=request.user), form, status=400)


@login_required
def my_picture(request: HttpRequest, version: str) -> HttpResponse:
    """My own picture, for Preferences (others see it through the set they share: actionsets)."""
    stored = ProfilePicture.objects.filter(user=request.user).only("image", "content_type").first()
    if stored is None or version != request.user.picture_version:
        raise Http404
    return picture_response(stored)

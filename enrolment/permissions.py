"""Who may use the staff area: staff only. Everyone else signed in gets 404 (the area's
existence is not advertised); anonymous visitors are sent to sign in first."""

import functools

from django.contrib.auth.decorators import login_required
from django.http import Http404


def is_staff(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_staff


def check_staff(user) -> None:
    if not is_staff(user):
        raise Http404


def staff_required(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        check_staff(request.user)
        return view(request, *args, **kwargs)

    return login_required(wrapper)

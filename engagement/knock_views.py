"""The presenter's (or a facilitator's) knock: a POST from the thread page's "not yet read by"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from actionsets import permissions

from . import knocks


@login_required
@require_POST
def knock(request: HttpRequest, set_slug: str, airtime_id: int) -> HttpResponse:
    access = permissions.get_set_to_act_or_404(request.user, set_slug)
    airtime = permissions.get_airtime_or_404(access, airtime_id)
    airtime.action_set = access.action_set  # its links; never a query
    # The member is looked up under the set's own rule: a stranger's or former member's id is 404.
    member = permissions.get_member_or_404(access, request.POST.get("member"))
    try:
        knocks.knock(access=access, airtime=airtime, member=member)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, gettext("Knocked for %(name)s: one short note, sent in their daytime.")
                         % {"name": member.user.name})
    return redirect(f"{airtime.get_absolute_url()}#read-by")

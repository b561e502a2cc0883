"""The notifications page (issue 14): `/notifications/`, opening one (marks it read, then goes to
the post), and "mark all read". A person sees only their own; an id that is not theirs is 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from . import notifications


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    rows = notifications.notifications_for(request.user)
    for row in rows:
        row.summary = notifications.describe(row)
    return render(request, "engagement/notifications.html", {
        "notifications": rows, "any_unread": any(row.read_at is None for row in rows),
    })


@login_required
def notification_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    note = notifications.open_notification(user=request.user, notification_id=notification_id)
    if note is None:
        raise Http404
    return redirect(notifications.target_path(note))


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    done = notifications.mark_all_read(user=request.user)
    messages.success(request, ngettext("Marked %(count)s notification read.", "Marked %(count)s notifications read.",
                                       done) % {"count": done} if done else gettext("Nothing was unread."))
    return redirect("engagement:notifications")

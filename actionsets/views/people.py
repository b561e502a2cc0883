"""Faces to names (issue 19): a member's card and their picture, for the members of the set only.

Both are looked up through the set's own rule (actionsets.permissions): the reader must be a
current member of the set, and the person a current member of it too — anyone else is 404, as for
the set itself. A picture is therefore seen only by people who share a current set with its owner.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.models import ProfilePicture
from accounts.pictures import picture_response

from .. import permissions, selectors
from .common import set_context


@login_required
def member(request: HttpRequest, set_slug: str, user_id: int) -> HttpResponse:
    access = permissions.get_set_or_404(request.user, set_slug)
    membership = permissions.get_member_or_404(access, user_id)
    membership.action_set = access.action_set
    now = timezone.now()
    current = selectors.current_round(selectors.rounds_of(access.action_set), now)
    card = selectors.member_card(membership, current=current, now=now)
    return render(request, "actionsets/member.html", set_context(access, card=card, person=membership.user))


@login_required
def member_picture(request: HttpRequest, set_slug: str, user_id: int, version: str) -> HttpResponse:
    access = permissions.get_set_or_404(request.user, set_slug)
    membership = permissions.get_member_or_404(access, user_id)
    person = membership.user
    if not person.picture_version:
        raise Http404
    if version != person.picture_version:  # an old picture's URL: the current one
        return redirect("actionsets:member_picture", set_slug, person.pk, person.picture_version)
    picture = ProfilePicture.objects.filter(user=person).only("image", "content_type").first()
    if picture is None:
        raise Http404
    return picture_response(picture)

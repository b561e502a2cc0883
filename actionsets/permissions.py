"""Who may see and do what in a set. The one place these rules live (DESIGN.md section 5).

A set's content is visible only to its current members. Anything else — missing, not yours,
left the set — is the same 404, so a set's existence never leaks. Views load the membership once
per request with `get_set_or_404` and pass it along.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import ActionSet, Airtime, Membership, Reply, Round


@dataclass(frozen=True)
class SetAccess:
    """The requesting user's view of one set: the set and their current membership."""

    action_set: ActionSet
    membership: Membership

    @property
    def user(self):
        return self.membership.user

    @property
    def is_facilitator(self) -> bool:
        return self.membership.is_facilitator


def current_membership(user, action_set: ActionSet) -> Membership | None:
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.current()
        .select_related("user")
        .filter(user=user, action_set=action_set)
        .first()
    )


def can_view_set(membership: Membership | None) -> bool:
    return membership is not None and membership.is_current


def get_set_or_404(user, set_slug: str) -> SetAccess:
    if not user.is_authenticated:
        raise Http404
    membership = (
        Membership.objects.current()
        .select_related("action_set", "action_set__cohort")
        .filter(user=user, action_set__slug=set_slug)
        .first()
    )
    if not can_view_set(membership):
        raise Http404
    membership.user = user  # already loaded by the auth middleware: no join for it (benchmark)
    return SetAccess(action_set=membership.action_set, membership=membership)


def get_airtime_or_404(access: SetAccess, airtime_id) -> Airtime:
    try:
        return (
            Airtime.objects.select_related("round", "presenter")
            .get(pk=int(airtime_id), action_set=access.action_set)
        )
    except (Airtime.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_reply_or_404(access: SetAccess, reply_id, *, airtime: Airtime | None = None) -> Reply:
    qs = Reply.objects.select_related("airtime", "author").filter(airtime__action_set=access.action_set)
    if airtime is not None:
        qs = qs.filter(airtime=airtime)
    try:
        return qs.get(pk=int(reply_id))
    except (Reply.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_round_or_404(access: SetAccess, round_id) -> Round:
    try:
        return Round.objects.get(pk=int(round_id), action_set=access.action_set)
    except (Round.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- Capabilities: `can_*` answer with a bool for templates; `check_*` raise. ---------------


def can_facilitate(access: SetAccess) -> bool:
    return access.is_facilitator


def check_facilitator(access: SetAccess) -> None:
    # Learners get the same 404 as outsiders on facilitator pages: they need not know them.
    if not can_facilitate(access):
        raise Http404


def can_post(access: SetAccess) -> bool:
    return access.membership.has_accepted_rules and not access.action_set.archived


def can_edit(access: SetAccess, post: Airtime | Reply) -> bool:
    author_id = post.presenter_id if isinstance(post, Airtime) else post.author_id
    return not access.action_set.archived and (author_id == access.user.pk or access.is_facilitator)


def check_can_edit(access: SetAccess, post: Airtime | Reply) -> None:
    if not can_edit(access, post):
        raise PermissionDenied("You can only edit your own posts.")


def can_see_revisions(access: SetAccess, post: Airtime | Reply) -> bool:
    author_id = post.presenter_id if isinstance(post, Airtime) else post.author_id
    return access.is_facilitator or author_id == access.user.pk


def can_see_hidden_body(user, reply: Reply, *, is_facilitator: bool) -> bool:
    """Hidden replies show a tombstone, except to their author and the set's facilitators."""
    return not reply.hidden or is_facilitator or reply.author_id == user.pk


def allowed_reply_kinds(access: SetAccess, airtime: Airtime, *, now) -> list[str]:
    """The reply kinds this member may post on this airtime right now, default first.

    Members ask questions (default) or reflect; the presenter responds; facilitators may also
    summarise. A closed round or a locked airtime takes facilitator summaries only.
    """
    if not can_post(access):
        return []
    is_presenter = airtime.presenter_id == access.user.pk
    open_for_talk = airtime.round.state_at(now) == Round.State.OPEN and not airtime.locked
    kinds: list[str] = []
    if open_for_talk:
        if is_presenter:
            kinds.append(Reply.Kind.RESPONSE)
        else:
            kinds += [Reply.Kind.QUESTION, Reply.Kind.REFLECTION]
    if access.is_facilitator:
        kinds.append(Reply.Kind.SUMMARY)
    return kinds

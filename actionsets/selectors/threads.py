"""Reads for a thread: its replies in one ordered query, and who may see which of them
(ask-before-you-see, hidden replies). The same rule serves the page, forms that take a reply id,
and emails."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q, QuerySet

from .. import phases
from ..kinds import ANSWERABLE_KINDS, QUESTION_KINDS
from ..models import ActionCommitment, ActionSet, Airtime, Membership, ReadMarker, Reply
from ..phases import current_phase
from .sets import asks_before_seeing, memberships_with_users


@dataclass
class Thread:
    airtime: Airtime
    replies: list[Reply]
    last_read_at: datetime | None
    facilitator_ids: set[int]
    commitments: list[ActionCommitment]
    earlier_commitments: list[ActionCommitment]
    # Everyone who has been in the set (current or not), with their user: badges and "who hasn't asked".
    memberships: list[Membership] = field(default_factory=list)
    # Who has opened the thread at all (their read markers): "read by" (selectors/presence.py).
    reader_ids: set[int] = field(default_factory=set)


def thread_for(user, airtime: Airtime) -> Thread:
    """The whole thread in one ordered query (materialised path), plus 4 small fixed queries.

    Returns every reply: pages show `visible_replies_for` / `filter_visible` of them."""
    # Not a `hidden_by` join: its outer join made PostgreSQL hash the whole user table on every
    # thread view (bench/explain.py); the hiders are facilitators, linked from the memberships.
    # The presenter's "this helped me" marks ride along (one-to-one: a join, not a query).
    replies = list(Reply.objects.filter(airtime=airtime).select_related("author", "helpful_mark").order_by("path"))
    _link_answered(replies)
    # Every reader's marker in the one query that finds mine: "read by" costs nothing more.
    markers = dict(ReadMarker.objects.filter(airtime=airtime).values_list("user_id", "last_read_at"))
    marker = markers.get(user.pk)
    # All memberships in one query: facilitator badges (former facilitators' posts keep theirs) and
    # the current learners for "who hasn't asked yet".
    memberships = memberships_with_users(airtime.action_set_id)
    facilitator_ids = {m.user_id for m in memberships if m.role == Membership.Role.FACILITATOR}
    _link_hiders(replies, {m.user_id: m.user for m in memberships})
    commitments = list(ActionCommitment.objects.filter(airtime=airtime).select_related("due_round"))
    # The presenter's commitments from earlier rounds, so the set sees what they report back on.
    earlier = list(
        ActionCommitment.objects.filter(
            owner_id=airtime.presenter_id,
            airtime__action_set_id=airtime.action_set_id,
            airtime__round__number__lt=airtime.round.number,
        )
        .filter(Q(status=ActionCommitment.Status.OPEN) | Q(reported_at__isnull=False))
        .select_related("airtime__round")
        .order_by("-airtime__round__number", "created_at")
    )
    return Thread(airtime, replies, marker, facilitator_ids, commitments, earlier, memberships, set(markers))


def withholds_questions(
    *, user_id: int, airtime: Airtime, action_set: ActionSet, replies: list[Reply], now: datetime,
    is_facilitator: bool,
) -> bool:
    """Ask-before-you-see applies to this reader now: the set (or round) chose it, the airtime is
    in its clarifying phase, and the reader is a member — not the presenter, not a facilitator —
    who has not yet asked a question on it. Pure: every input is passed in."""
    if is_facilitator or user_id == airtime.presenter_id or not asks_before_seeing(airtime, action_set):
        return False
    if current_phase(airtime, now).phase != phases.CLARIFYING:
        return False
    return not any(r.author_id == user_id and r.kind in QUESTION_KINDS for r in replies)


def filter_visible(replies: list[Reply], *, user_id: int, withhold: bool) -> tuple[list[Reply], int]:
    """(the replies this reader sees, how many are withheld). While questions are withheld, other
    people's questions are left out with everything under them — an answer would give the
    question away. `replies` must be in path order (as thread_for returns them)."""
    if not withhold:
        return replies, 0
    visible, hidden_under = [], None
    for reply in replies:
        if hidden_under is not None and reply.path.startswith(hidden_under):
            continue
        hidden_under = None
        if reply.kind in QUESTION_KINDS and reply.author_id != user_id:
            hidden_under = reply.path
            continue
        visible.append(reply)
    return visible, len(replies) - len(visible)


def visible_replies_for(user, airtime: Airtime, now: datetime) -> list[Reply]:
    """THE rule for showing a thread's replies to `user` at `now`, for every page and email.

    Digests and other batch readers should load replies in bulk and call `withholds_questions` +
    `filter_visible` per (recipient, airtime) — the same rule, no query per item. Hidden replies
    are still returned (as tombstones): `permissions.can_see_hidden_body` decides their text.
    Two queries: the membership and the replies.
    """
    membership = Membership.objects.current().filter(user=user, action_set_id=airtime.action_set_id).first()
    if membership is None:
        return []
    replies = list(Reply.objects.filter(airtime=airtime).select_related("author").order_by("path"))
    withhold = withholds_questions(
        user_id=user.pk, airtime=airtime, action_set=airtime.action_set, replies=replies, now=now,
        is_facilitator=membership.is_facilitator or membership.is_researcher,
    )
    return filter_visible(replies, user_id=user.pk, withhold=withhold)[0]


def reply_visible_in_thread(
    *, user_id: int, airtime: Airtime, action_set: ActionSet, reply_id: int, is_facilitator: bool, now: datetime,
) -> Reply | None:
    """Reply `reply_id` if it is on THIS airtime and the thread shows it to this reader now (the rule
    of `visible_replies_for`: ask-before-you-see withholds other people's questions and what is
    under them), else None. Hidden replies are returned: they are in the thread as tombstones.

    For ids a client sends (a reply form's parent): nothing about a post is rendered or used from
    an id before this check. Two queries: the thread's outline (no bodies), then the one reply.
    """
    outline = list(
        Reply.objects.filter(airtime=airtime).only("pk", "path", "kind", "author_id", "airtime_id").order_by("path")
    )
    withhold = withholds_questions(
        user_id=user_id, airtime=airtime, action_set=action_set, replies=outline, now=now, is_facilitator=is_facilitator,
    )
    visible, _ = filter_visible(outline, user_id=user_id, withhold=withhold)
    if not any(r.pk == reply_id for r in visible):
        return None
    return Reply.objects.select_related("author", "parent").get(pk=reply_id)


def members_yet_to_ask(airtime: Airtime, replies: list[Reply], memberships: list[Membership]) -> list[Membership]:
    """Current learners, other than the presenter, who have not asked this presenter anything."""
    asked = {r.author_id for r in replies if r.kind in QUESTION_KINDS}
    return [
        m for m in memberships
        if m.is_current and m.is_learner and m.user_id != airtime.presenter_id and m.user_id not in asked
    ]


def unanswered_questions(airtime: Airtime, replies: list[Reply]) -> list[Reply]:
    """Questions and offers to the presenter that they have not yet responded to."""
    answered = {r.in_reply_to_id for r in replies if r.author_id == airtime.presenter_id and r.kind == Reply.Kind.RESPONSE}
    return [
        r for r in replies
        if r.kind in ANSWERABLE_KINDS and r.author_id != airtime.presenter_id and not r.hidden and r.pk not in answered
    ]


def _link_hiders(replies: list[Reply], users_by_id: dict) -> None:
    """Attach `hidden_by` from the set's members already loaded (no query per hidden reply)."""
    field = Reply._meta.get_field("hidden_by")
    for reply in replies:
        if reply.hidden_by_id is not None and reply.hidden_by_id in users_by_id:
            field.set_cached_value(reply, users_by_id[reply.hidden_by_id])


def _link_answered(replies: list[Reply]) -> None:
    """Point each reply's `in_reply_to` at the reply already loaded: it is always in the same thread.

    Joining it in SQL instead fetched a second copy of each answered reply, with its body and
    its author, on every thread view (bench/).
    """
    by_id = {reply.pk: reply for reply in replies}
    field = Reply._meta.get_field("in_reply_to")
    for reply in replies:
        if reply.in_reply_to_id is not None and reply.in_reply_to_id in by_id:
            field.set_cached_value(reply, by_id[reply.in_reply_to_id])


def revisions_of(post) -> QuerySet:
    """The post's earlier versions, newest first, each with the files its edit removed
    (`removed_files`, one more query for all of them)."""
    return post.revisions.select_related("edited_by").prefetch_related("removed_files").order_by("-edited_at")

"""Who may see and do what in a set. The one place these rules live (docs/architecture.md, section 2).

A set's content is visible only to its current members. Anything else — missing, not yours,
left the set — is the same 404, so a set's existence never leaks. Views load the membership once
per request with `get_set_or_404` and pass it along.
"""

from dataclasses import dataclass
from functools import cached_property

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy

from . import phases
from .phases import current_phase  # noqa: F401 - part of this module's interface
from .kinds import HELPFUL_KINDS
from .models import ActionSet, Airtime, Attachment, HelpfulMark, JournalEntry, Membership, Reply, Round


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

    @property
    def is_researcher(self) -> bool:
        return self.membership.is_researcher

    @property
    def reads_as_facilitator(self) -> bool:
        """Reads the set as its facilitators do — everything in the threads, whatever the phase or
        ask-before-you-see — though never hidden text nor a presenter's private why unless a
        facilitator (`is_facilitator`): the set's facilitators and its researchers."""
        return self.membership.is_facilitator or self.membership.is_researcher

    @cached_property
    def is_steward(self) -> bool:
        """This round's process steward in a self-managed set (no query unless self-managed)."""
        if not self.action_set.self_managed or not self.membership.is_learner:
            return False
        from .selectors import process_stewards

        return any(u.pk == self.user.pk for u in process_stewards(self.action_set, timezone.now()))


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
    membership = _current_membership_by_slug(user.pk, set_slug)
    if not can_view_set(membership):
        raise Http404
    membership.user = user  # already loaded by the auth middleware: no join for it (benchmark)
    return SetAccess(action_set=membership.action_set, membership=membership)


def get_set_to_act_or_404(user, set_slug: str) -> SetAccess:
    """`get_set_or_404` for a view that only writes (POST-only member actions): a researcher, who
    reads the set but acts in nothing, gets 403 (`check_can_act`)."""
    access = get_set_or_404(user, set_slug)
    check_can_act(access)
    return access


def _current_membership_by_slug(user_id: int, set_slug: str) -> Membership | None:
    """The user's current membership of the set with this slug, with the set and its cohort."""
    return (
        Membership.objects.current()
        .select_related("action_set", "action_set__cohort")
        .filter(user_id=user_id, action_set__slug=set_slug)
        .order_by("pk")
        .first()
    )


def get_airtime_or_404(access: SetAccess, airtime_id) -> Airtime:
    try:
        return (
            Airtime.objects.select_related("round", "presenter")
            .get(pk=int(airtime_id), action_set=access.action_set)
        )
    except (Airtime.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_member_or_404(access: SetAccess, user_id) -> Membership:
    """A current member of this set, by user id (member cards, pictures, knocks): anyone else —
    a former member, a stranger, a malformed id — is 404, as the set itself would be."""
    try:
        return Membership.objects.current().select_related("user").get(action_set=access.action_set, user_id=int(user_id))
    except (Membership.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def can_knock(access: SetAccess, airtime: Airtime) -> bool:
    """The presenter, or a facilitator, may send a gentle knock about the airtime (issue 19)."""
    return airtime.presenter_id == access.membership.user_id or access.is_facilitator


def get_reply_or_404(access: SetAccess, reply_id, *, airtime: Airtime | None = None) -> Reply:
    qs = Reply.objects.select_related("airtime", "author").filter(airtime__action_set=access.action_set)
    if airtime is not None:
        qs = qs.filter(airtime=airtime)
    try:
        return qs.get(pk=int(reply_id))
    except (Reply.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


NOT_A_PARENT = "You can't reply to that post here: it is in another thread, or not one you can see yet."


def get_reply_parent(access: SetAccess, airtime: Airtime, parent_id, *, now) -> Reply:
    """The reply a new reply answers, from the id a form sent: only a reply this reader sees on
    this airtime (`selectors.reply_visible_in_thread`), and never a hidden one. Refusals are a
    ValidationError on "parent" that names no post, so the page echoes nothing of it; an id that
    is no reply of this set is the usual 404.

    Hidden replies are tombstones to members and still readable by facilitators, but nobody
    replies to one: an answer would show under a tombstone or re-surface what was hidden. A
    facilitator who wants to answer it restores it first.
    """
    from .selectors import reply_visible_in_thread

    try:
        reply_id = int(parent_id)
    except (ValueError, TypeError):
        raise Http404 from None
    reply = reply_visible_in_thread(
        user_id=access.user.pk, airtime=airtime, action_set=access.action_set, reply_id=reply_id,
        is_facilitator=access.is_facilitator, now=now,
    )
    if reply is None:
        # No such reply in this set: the same 404 as any unknown id. In the set but not in what
        # this reader sees here (another thread, withheld): a form error that names no post.
        if not Reply.objects.filter(pk=reply_id, airtime__action_set=access.action_set).exists():
            raise Http404
        raise ValidationError({"parent": NOT_A_PARENT})
    if reply.hidden:
        raise ValidationError({"parent": "That post is hidden: restore it before replying to it." if access.is_facilitator
                               else "That post is hidden, so it takes no replies."})
    return reply


def get_round_or_404(access: SetAccess, number) -> Round:
    """A round by its number within the set, the one way URLs address a round (docs/architecture.md,
    section 7)."""
    try:
        return Round.objects.get(number=int(number), action_set=access.action_set)
    except (Round.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_round_by_id_or_404(access: SetAccess, round_id) -> Round:
    """Only for the redirects from the old id-addressed round URLs, which emails may still hold."""
    try:
        return Round.objects.get(pk=int(round_id), action_set=access.action_set)
    except (Round.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- Capabilities: `can_*` answer with a bool for templates; `check_*` raise. ---------------


def can_facilitate(access: SetAccess) -> bool:
    return access.is_facilitator


def check_facilitator(access: SetAccess) -> None:
    # Learners (and researchers) get the same 404 as outsiders on facilitator pages: they need not know them.
    if not can_facilitate(access):
        raise Http404


# --- Researchers (issue 17, docs/research.md) -------------------------------------------------
# A researcher is a member the set's facilitator granted read-only access: they read the set and
# the facilitator's read-only pages (dashboard, coding, research export), code a sample blind when
# named a coder, and do nothing else. On a page every member may act from, a researcher's write is
# refused with 403 (they can see the page; they may not act on it); the facilitator's pages they do
# not read stay 404 for them, as for learners.

RESEARCHER_REFUSAL = _lazy("Researchers read this set; they do not post, mark, flag or change anything in it.")


def can_read_facilitation(access: SetAccess) -> bool:
    """The facilitator's read-only pages (dashboard, its CSV, coding, research export): facilitators and researchers."""
    return access.reads_as_facilitator


def check_read_facilitation(access: SetAccess) -> None:
    if not can_read_facilitation(access):
        raise Http404


def can_act(access: SetAccess) -> bool:
    """May write anything in the set as a member (post, mark, flag, knock, check in, consent…)."""
    return not access.is_researcher


def check_can_act(access: SetAccess) -> None:
    """Every member write view calls this before anything else: a researcher gets 403."""
    if not can_act(access):
        raise PermissionDenied(RESEARCHER_REFUSAL)


def is_read_only(action_set: ActionSet) -> bool:
    """Archived and closed sets keep everything and take nothing new."""
    return action_set.archived or action_set.is_closed


def can_post(access: SetAccess) -> bool:
    return can_act(access) and access.membership.has_accepted_rules and not is_read_only(access.action_set)


def can_edit(access: SetAccess, post: Airtime | Reply) -> bool:
    # Only the author edits a post: the words under a name stay that person's words. Facilitators
    # hide a reply with a reason instead (docs/facilitation.md, "Hide, never edit").
    author_id = post.presenter_id if isinstance(post, Airtime) else post.author_id
    return not is_read_only(access.action_set) and author_id == access.user.pk


def check_can_edit(access: SetAccess, post: Airtime | Reply) -> None:
    if not can_edit(access, post):
        raise PermissionDenied("You can only edit your own posts.")


def can_see_revisions(access: SetAccess, post: Airtime | Reply) -> bool:
    author_id = post.presenter_id if isinstance(post, Airtime) else post.author_id
    return access.is_facilitator or author_id == access.user.pk  # not a researcher: history keeps hidden text


def can_see_hidden_body(user, reply: Reply, *, is_facilitator: bool) -> bool:
    """Hidden replies show a tombstone, except to their author and the set's facilitators."""
    return not reply.hidden or is_facilitator or reply.author_id == user.pk


def can_guide_process(access: SetAccess) -> bool:
    """Facilitators, and in a self-managed set this round's process steward: process notes, process
    prompts, "who hasn't asked yet", the process-review summary. Never moderation."""
    return access.is_facilitator or access.is_steward


def reply_role(access: SetAccess, airtime: Airtime) -> str:
    return phases.PRESENTER if airtime.presenter_id == access.user.pk else phases.MEMBER


def allowed_reply_kinds(access: SetAccess, airtime: Airtime, *, now) -> list[str]:
    """The reply kinds this member may post on this airtime right now, default first.

    The airtime's phase and the person's role decide (actionsets/phases.py: KINDS_BY_PHASE).
    Facilitators and the process steward may add a process note at any time — also on a locked
    airtime or in a closed round, which take nothing else.
    """
    if not can_post(access):
        return []
    kinds: list[str] = []
    if airtime.round.state_at(now) == Round.State.OPEN and not airtime.locked:
        kinds += phases.kinds_for(current_phase(airtime, now).phase, reply_role(access, airtime))
    if can_guide_process(access):
        kinds.append(Reply.Kind.PROCESS_NOTE)
    return kinds


def reply_refusal(access: SetAccess, airtime: Airtime, kind: str, *, now) -> str:
    """A clear reason why `kind` is not allowed here now (for a kind not in allowed_reply_kinds)."""
    labels = dict(Reply.Kind.choices)
    if kind not in labels:
        return f"“{kind}” is not a kind of reply."
    spans = phases.airtime_timeline(airtime)
    return phases.refusal(
        kind, role=reply_role(access, airtime), current=current_phase(airtime, now), spans=spans,
        offers_welcome=airtime.offers_welcome, kind_label=labels[kind],
    )


# --- The private journal ----------------------------------------------------------------------


def get_journal_entry_or_404(access: SetAccess, entry_id) -> JournalEntry:
    """Only the author reads a journal entry: facilitators, staff and other members get 404."""
    try:
        return JournalEntry.objects.select_related("airtime").get(
            pk=int(entry_id), action_set=access.action_set, author=access.user
        )
    except (JournalEntry.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- Files private to a set (docs/files.md) -----------------------------------------------------


def get_attachment_or_404(access: SetAccess, token: str, *, now) -> Attachment:
    """A file, only for whoever may read the post it belongs to — under the same rule as the post:
    an airtime's files for every current member; a reply's for those the thread shows it to
    (ask-before-you-see), and while it is hidden only for its author and the set's facilitators;
    a journal entry's, and a file the editor uploaded for a post not yet saved, for its uploader
    alone. Anything else is the same 404 as a file that does not exist."""
    attachment = (Attachment.objects.select_related("reply__airtime")
                  .filter(action_set=access.action_set, token=str(token)[:48]).first())
    if attachment is None or not can_open_attachment(access, attachment, now=now):
        raise Http404
    return attachment


def can_open_attachment(access: SetAccess, attachment: Attachment, *, now) -> bool:
    if attachment.action_set_id != access.action_set.pk:
        return False
    if attachment.journal_entry_id is not None or attachment.is_pending:
        return attachment.uploader_id == access.user.pk
    if attachment.reply_id is not None:
        from .selectors import reply_visible_in_thread

        reply = reply_visible_in_thread(
            user_id=access.user.pk, airtime=attachment.reply.airtime, action_set=access.action_set,
            reply_id=attachment.reply_id, is_facilitator=access.reads_as_facilitator, now=now,
        )
        return reply is not None and can_see_hidden_body(access.user, reply, is_facilitator=access.is_facilitator)
    return True  # an airtime's: every current member reads the airtime


def can_flag(access: SetAccess, reply: Reply) -> bool:
    """Members flag replies they can read and did not write; facilitators act directly instead."""
    return (
        not access.reads_as_facilitator
        and not access.action_set.archived
        and not reply.hidden
        and reply.author_id != access.user.pk
    )


# --- "This question helped me" (HelpfulMark) ----------------------------------------------------


def can_mark_helpful(access: SetAccess, airtime: Airtime, reply: Reply) -> bool:
    """The presenter, on their own airtime, marks (or unmarks) a question or reflect-back someone
    else asked: the presenter's act on their own airtime. Not a hidden reply; not in a read-only set."""
    return (
        airtime.presenter_id == access.user.pk
        and reply.airtime_id == airtime.pk
        and reply.author_id != access.user.pk
        and reply.kind in HELPFUL_KINDS
        and not reply.hidden
        and not is_read_only(access.action_set)
    )


def can_see_helpful(user_id: int, mark: HelpfulMark, *, reply: Reply, presenter_id: int, is_facilitator: bool) -> bool:
    """That a question helped: the presenter, the facilitators and the asker always; the rest of the
    set only when the presenter shared it."""
    return mark.shared or is_facilitator or user_id in (presenter_id, reply.author_id)


def can_see_helpful_why(user_id: int, mark: HelpfulMark, *, presenter_id: int, is_facilitator: bool) -> bool:
    """The presenter's line of why: private to the presenter and facilitators unless shared."""
    return mark.shared or is_facilitator or user_id == presenter_id

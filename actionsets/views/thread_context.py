"""Everything the thread page shows, built from `selectors.thread_for` with no further queries:
the phase bar, the replies this reader may see (ask-before-you-see), the reply form's kinds for
this phase and role, the presenter's unanswered questions, "who hasn't asked yet", and the
advice nudge when a question came back for a second look."""

import re
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext, gettext_lazy

from .. import events, permissions, phases, selectors
from ..forms import CommitmentForm, HelpfulForm, ReplyForm, enable_uploads
from ..kinds import NUDGED_KINDS
from ..models import Reply, Round

Kind = Reply.Kind

# What each kind is for, shown beside its radio button. The reflect-back template is also
# inserted by static/js/reply-kinds.js when the box is empty.
KIND_HELP = {
    Kind.CLARIFYING: gettext_lazy("Helps you (and them) understand the situation: who, what, when, what has happened so far."),
    Kind.PROBING: gettext_lazy("An open question that helps them think: What…? How…? What would happen if…?"),
    Kind.REFLECT_BACK: gettext_lazy("Check your understanding: “I understood you to mean … — is that right?”"),
    Kind.OFFER: gettext_lazy("Experience or a resource, offered because they asked. Label it as yours to take or leave."),
    Kind.RESPONSE: gettext_lazy("Answer one question from the set."),
    Kind.SUMMARY: gettext_lazy("What you now see differently about your issue."),
    Kind.ACTION: gettext_lazy("One concrete action: what, by when, how you will know. It is added to your commitments."),
    Kind.REFLECTION: gettext_lazy("One short post: what you learned from this airtime — about the issue or your own practice."),
    Kind.PROCESS_NOTE: gettext_lazy("A time-out, a summary of the process so far, or a re-framing — about how the set works."),
}
REFLECT_BACK_TEMPLATE = gettext_lazy("I understood you to mean … — is that right?")


@dataclass
class KindOption:
    value: str
    label: str
    help: str
    checked: bool


@dataclass
class Highlight:
    name: str
    before: str
    phrase: str
    after: str


def highlights(signals) -> list[Highlight]:
    """Each triggering sentence split around its phrase, so the template can <mark> it (escaped)."""
    out = []
    for signal in signals:
        match = re.search(re.escape(signal.phrase), signal.sentence, re.IGNORECASE) if signal.phrase else None
        if match is None:
            out.append(Highlight(signal.name, signal.sentence, "", ""))
        else:
            out.append(Highlight(signal.name, signal.sentence[:match.start()], match.group(0),
                                 signal.sentence[match.end():]))
    return out


def _kind_options(kinds: list[str], chosen: str | None) -> list[KindOption]:
    labels = dict(Kind.choices)
    chosen = chosen if chosen in kinds else (kinds[0] if kinds else None)
    return [KindOption(k, labels[k], KIND_HELP.get(k, ""), k == chosen) for k in kinds]


def _decorate(request, access, airtime, thread, replies) -> None:
    members = {m.user_id for m in thread.memberships if m.left_at is None}
    airtime.presenter_is_member = airtime.presenter_id in members
    for reply in replies:
        reply.author_is_member = reply.author_id in members  # their name links to their card
        reply.visible_body = permissions.can_see_hidden_body(request.user, reply, is_facilitator=access.is_facilitator)
        reply.is_new = thread.last_read_at is not None and reply.created_at > thread.last_read_at \
            and reply.author_id != request.user.pk
        reply.by_presenter = reply.author_id == airtime.presenter_id
        reply.by_facilitator = reply.author_id in thread.facilitator_ids
        reply.can_edit = permissions.can_edit(access, reply) and reply.visible_body
        reply.can_flag = permissions.can_flag(access, reply)
        # "This question helped me": the presenter's mark, shown only to whom it may be
        # (permissions.can_see_helpful); no counts anywhere on the page.
        mark = getattr(reply, "helpful_mark", None)
        seen = mark is not None and permissions.can_see_helpful(
            request.user.pk, mark, reply=reply, presenter_id=airtime.presenter_id, is_facilitator=access.is_facilitator)
        reply.helpful = mark if seen else None
        reply.helpful_why = mark.why if seen and permissions.can_see_helpful_why(
            request.user.pk, mark, presenter_id=airtime.presenter_id, is_facilitator=access.is_facilitator) else ""
        reply.can_mark_helpful = permissions.can_mark_helpful(access, airtime, reply)


def thread_context(request, access, airtime, *, reply_form=None, reply_parent=None, nudge=None) -> dict:
    now = timezone.now()
    airtime.action_set = access.action_set  # links and the ask-first choice; never a query
    thread = selectors.thread_for(request.user, airtime)
    kinds = permissions.allowed_reply_kinds(access, airtime, now=now)
    spans = phases.airtime_timeline(airtime)
    phase = phases.phase_at(spans, now, started_at=airtime.created_at)
    withhold = selectors.withholds_questions(
        user_id=request.user.pk, airtime=airtime, action_set=access.action_set, replies=thread.replies, now=now,
        is_facilitator=access.reads_as_facilitator,  # a researcher never asks, so nothing waits on their asking
    )
    replies, withheld = selectors.filter_visible(thread.replies, user_id=request.user.pk, withhold=withhold)
    _decorate(request, access, airtime, thread, replies)
    selectors.thread_files(airtime, replies)
    is_presenter = airtime.presenter_id == request.user.pk
    if reply_parent is not None:
        # Defence in depth: the form names its parent (author, text) only if this reader sees it
        # in this thread, unhidden — whatever id the request carried.
        reply_parent = next((r for r in replies if r.pk == reply_parent.pk and not r.hidden), None)
    # The reader's own drafts on this thread, one query (private to them: issue 14).
    drafts = selectors.drafts_in_thread(request.user, airtime)
    if reply_form is None:
        # "Reply" links work without JavaScript: ?reply_to=<id> preselects the parent.
        wanted = request.GET.get("reply_to", "")
        reply_parent = next((r for r in replies if str(r.pk) == wanted and not r.hidden), None)
        draft = drafts.get(reply_parent.pk if reply_parent else None)
        reply_form = ReplyForm(kinds=kinds, initial={"parent": reply_parent.pk if reply_parent else None,
                                                     "body": draft.body if draft else ""})
        chosen = draft.kind if draft else None
    else:
        chosen = reply_form.data.get("kind") if reply_form.is_bound else None
    enable_uploads(reply_form, reverse("actionsets:file_upload", args=[access.action_set.slug]))
    parent_id = reply_parent.pk if reply_parent else None
    by_id = {r.pk: r for r in replies}
    # Drafts elsewhere in this thread (to other posts), linked so they come back with their parent.
    # A draft whose post the reader no longer sees (hidden since) is left out.
    other_drafts = [(by_id[pid], d) for pid, d in drafts.items()
                    if pid != parent_id and pid is not None and pid in by_id and not by_id[pid].hidden]
    if parent_id is not None and None in drafts:
        other_drafts.insert(0, (None, drafts[None]))
    guide = permissions.can_guide_process(access)
    # Read by: everyone with a read marker, and this reader, who is reading it now.
    receipts = selectors.read_receipts(request.user, airtime, thread.memberships, thread.reader_ids | {request.user.pk})
    round_state = airtime.round.state_at(now)
    return {
        "access": access, "action_set": access.action_set, "airtime": airtime, "thread": thread,
        "replies": replies, "withheld": withheld, "kinds": kinds, "kind_options": _kind_options(kinds, chosen),
        "nudged_kinds": list(NUDGED_KINDS), "reflect_back_template": REFLECT_BACK_TEMPLATE,
        "reply_form": reply_form, "reply_parent": reply_parent, "is_presenter": is_presenter,
        "draft": drafts.get(parent_id), "other_drafts": other_drafts,
        "can_edit_airtime": permissions.can_edit(access, airtime),
        "commitment_form": CommitmentForm(), "helpful_form": HelpfulForm() if is_presenter else None, "round_state": round_state,
        "round_state_label": Round.State(round_state).label,
        "never_read": thread.last_read_at is None,
        "researchers": [m for m in thread.memberships if m.left_at is None and m.is_researcher],
        "spans": spans, "phase": phase, "now": now,
        "unanswered": selectors.unanswered_questions(airtime, replies) if is_presenter else [],
        "yet_to_ask": selectors.members_yet_to_ask(airtime, thread.replies, thread.memberships)
        if guide or access.action_set.show_who_hasnt_asked else None,
        "can_guide": guide, "receipts": receipts,
        # "Not yet read by Ana, Ben and Cat": the list joined in the reader's language.
        "not_read_names": get_text_list([p.name for p in receipts.not_read], gettext("and")) if receipts else "",
        "presenter_is_member": airtime.presenter_is_member,
        "nudge": highlights(nudge) if nudge else None,
        # What higher apps add (facilitation: the annotations, for facilitators only).
        **events.thread_page.collect(access=access, airtime=airtime, replies=replies),
    }

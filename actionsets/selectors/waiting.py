"""What waits for a member's answer, and what ask-before-you-see lets them see of it — for whole
batches of readers at once. The one definition home's to-do list, digests and nudges share
(engagement.activity re-exports it), so "3 waiting for your answer" means the same everywhere.
"""

from collections import defaultdict
from datetime import datetime

from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce, Substr

from ..kinds import PRESENTER_KINDS, PROCESS_KINDS, QUESTION_KINDS
from ..models import ActionSet, Reply
from .threads import filter_visible, withholds_questions

# Post bodies are large; lists and emails about them need titles, ids and short excerpts only.
AIRTIME_HEAVY = ("body", "body_html")
# Enough sanitised HTML to cut a 180-character excerpt from, without loading 50 kB bodies.
HEAD_CHARS = 1500


def in_open_round(now: datetime, prefix: str = "") -> Q:
    return Q(**{f"{prefix}round__opens_at__lte": now, f"{prefix}round__closes_at__gt": now})


def waiting_replies(*, user_ids, set_ids, now: datetime) -> list[Reply]:
    """Replies waiting for an answer from one of `user_ids`, oldest first.

    Addressed to the presenter: a top-level question on their airtime. Addressed to anyone: a
    reply to one of their replies. Waiting: the addressee has not replied to it. Only airtimes
    that can still be answered (open round, not locked) and never hidden replies.
    The presenter's own posts (responses, summary, actions) answer; they wait for nobody — a
    response to my question is not a question to me. `reply.addressed_id` says whom each one
    waits for. Ask-before-you-see is the caller's (`AskFirst`), per reader.
    """
    return list(
        Reply.objects.filter(
            in_open_round(now, "airtime__"), airtime__action_set_id__in=set_ids, airtime__locked=False, hidden=False
        )
        .exclude(kind__in=(*PRESENTER_KINDS, *PROCESS_KINDS))
        .filter(
            Q(in_reply_to__isnull=True, kind__in=QUESTION_KINDS, airtime__presenter_id__in=user_ids)
            | Q(in_reply_to__author_id__in=user_ids)
        )
        .annotate(addressed_id=Coalesce("in_reply_to__author_id", "airtime__presenter_id"))
        .exclude(author_id=F("addressed_id"))
        .exclude(Exists(Reply.objects.filter(in_reply_to=OuterRef("pk"), author_id=OuterRef("addressed_id"))))
        .select_related("author", "airtime", "airtime__round")
        .annotate(head=Substr("body_html", 1, HEAD_CHARS))
        .defer(*(f"airtime__{name}" for name in AIRTIME_HEAVY), *AIRTIME_HEAVY)
        .order_by("created_at", "pk")
    )


def asks_first(prefix: str = "") -> Q:
    """The round chose ask-before-you-see, or left it to the set, which chose it (as
    `asks_before_seeing` decides for one airtime)."""
    return Q(**{f"{prefix}round__ask_before_seeing": True}) | Q(
        **{f"{prefix}round__ask_before_seeing__isnull": True, f"{prefix}action_set__ask_before_seeing": True}
    )


def questions_that_may_be_withheld(*, set_ids, now: datetime, with_airtimes: bool = False) -> list[Reply]:
    """Every question (by anyone, hidden ones too: asking counts even if the question was hidden)
    on airtimes of these sets that may withhold questions at `now` — their round (or set) asks
    first and has not closed. One query, always run, so a batch's budget does not depend on the
    data.

    A superset of what `withholds_questions` needs (it also checks the phase and the reader): at
    most the open rounds' questions of the sets that ask first, a few ids and paths each.
    `with_airtimes`: each question's airtime and round joined in (what `withholds_questions`
    reads), in the same query.
    """
    questions = Reply.objects.filter(asks_first("airtime__"), airtime__action_set_id__in=set_ids,
                                     airtime__round__closes_at__gt=now, kind__in=QUESTION_KINDS)
    if with_airtimes:
        return list(questions.select_related("airtime__round").defer("body", "body_html", "advice_signal",
                                                                     "airtime__body", "airtime__body_html").order_by())
    return list(questions.only("pk", "airtime_id", "author_id", "kind", "path").order_by())


class AskFirst:
    """Ask-before-you-see for a batch of readers: which of the replies a list would show the
    reader may they see in the thread now?

    The thread's rule — `withholds_questions` + `filter_visible` — applied per (reader, airtime)
    to the questions loaded once (`questions_that_may_be_withheld`): no query per item. A withheld
    question is left out with everything under it, so a list never shows, quotes or counts it,
    nor an answer that would give it away. Replies passed in need their airtime with its round
    loaded (select_related), as `withholds_questions` reads both.
    """

    def __init__(self, questions: list[Reply], *, now: datetime):
        self.now = now
        self.questions: dict[int, list[Reply]] = defaultdict(list)
        for question in questions:
            self.questions[question.airtime_id].append(question)

    def visible(
        self, replies: list[Reply], *, user_id: int, action_set: ActionSet, is_facilitator: bool
    ) -> list[Reply]:
        """`replies` (of one set, any airtimes, any order) without those withheld from this reader."""
        withheld: set[int] = set()
        by_airtime: dict[int, list[Reply]] = defaultdict(list)
        for reply in replies:
            by_airtime[reply.airtime_id].append(reply)
        for airtime_id, shown in by_airtime.items():
            questions = self.questions.get(airtime_id, [])
            withhold = withholds_questions(
                user_id=user_id, airtime=shown[0].airtime, action_set=action_set, replies=questions, now=self.now,
                is_facilitator=is_facilitator,
            )
            if not withhold:
                continue
            # The airtime's questions and these replies, in path order: enough for filter_visible to
            # see every question above each reply (a reply's ancestors come before it).
            thread = sorted({r.pk: r for r in (*questions, *shown)}.values(), key=lambda r: r.path)
            seen = {r.pk for r in filter_visible(thread, user_id=user_id, withhold=True)[0]}
            withheld.update(r.pk for r in shown if r.pk not in seen)
        return [reply for reply in replies if reply.pk not in withheld] if withheld else replies


def waiting_for(user, set_ids, memberships: dict, *, now: datetime) -> list[Reply]:
    """What waits for `user`'s answer in these sets, as the thread shows it to them now — two
    queries. `memberships`: set id → the user's current membership, with its set."""
    if not set_ids:
        return []
    ask_first = AskFirst(questions_that_may_be_withheld(set_ids=set_ids, now=now), now=now)
    waiting = waiting_replies(user_ids=[user.pk], set_ids=set_ids, now=now)
    by_set: dict[int, list[Reply]] = defaultdict(list)
    for reply in waiting:
        by_set[reply.airtime.action_set_id].append(reply)
    shown = set()
    for set_id, replies in by_set.items():
        m = memberships[set_id]
        shown.update(r.pk for r in ask_first.visible(
            replies, user_id=user.pk, action_set=m.action_set, is_facilitator=m.is_facilitator))
    return [reply for reply in waiting if reply.pk in shown]

"""The discourse dashboard's figures (docs/facilitation.md).

Everything per post is counted by the database: `values(...).annotate(Count/Sum/Max(filter=…))`
grouped by member, airtime or round, so the number of queries is fixed and the rows that come
back are bounded by members × rounds, not by posts. Python then works over those few rows only:
Gini and evenness over one total per member (facilitation/stats.py), the median over one time
per airtime.

Choices, also stated on the page:
- Scope is the whole set or one round. "Last post" in the participation table is within the
  scope; the silence section always looks at the open round and the whole set.
- Hidden replies were posted, so they count in participation and every figure; the table shows
  how many of each member's replies are hidden. Their text is never shown here or in the CSV.
- Equity (Gini, evenness) is over learners only: a facilitator's summaries are a different job.
  And only over the learners present for the whole scope — members when the round (or, for
  the whole set, its first round) opened: someone who joined yesterday has had no time to post,
  and counting them as silent would read as "a few members are carrying the conversation".
- A reply's target is the author of the reply it answers (`in_reply_to`), else the presenter of
  the airtime. Replies to yourself (a presenter adding to their own airtime) are nobody's
  "given" or "received".
- Process-quality shares are over "help replies": questions and reflections, i.e. what members
  write on someone else's airtime. Advice signals and "asks a question" are heuristics
  (actionsets/advice.py), computed in the database with the same patterns.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, Sum
from django.db.models.functions import Coalesce

from actionsets import kinds as reply_kinds
from django.utils.translation import gettext as _

from actionsets.advice import has_word_list, language_name, question_openness
from actionsets.models import ActionCommitment, ActionSet, Airtime, HelpfulMark, Membership, Reply, Round

from . import stats
from .models import Annotation, Code
from engagement.models import Nudge

# The four dashboard columns, each a group of reply kinds (actionsets/kinds.py: clarifying, probing
# and reflect-backs count as questions; offers with reflections; process notes as summaries).
KINDS = list(reply_kinds.DASHBOARD_GROUPS)
HELP_KINDS = list(reply_kinds.HELP_KINDS)  # where advice signals are looked for (not invited offers)
QUESTION_KINDS = list(reply_kinds.QUESTION_KINDS)
Status = ActionCommitment.Status


@dataclass
class MemberFigures:
    membership: Membership
    airtimes: int = 0
    airtime_words: int = 0
    by_kind: dict = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    reply_words: int = 0
    hidden: int = 0
    advice: int = 0            # help replies with an advice signal (heuristic)
    disguised: int = 0         # questions with an advice signal (heuristic)
    asks: int = 0              # questions that contain "?" (heuristic)
    given: int = 0
    received: int = 0
    last_post_at: datetime | None = None      # within the scope
    last_post_ever: datetime | None = None    # whole set
    posts_in_open_round: int = 0
    questions_received: int = 0
    questions_answered: int = 0
    commitments: dict = field(default_factory=lambda: dict.fromkeys(["formed", "reported", "done"], 0))
    nudges: list = field(default_factory=list)
    annotations: dict = field(default_factory=dict)   # code id → count, within the scope
    asked_others: int = 0      # questions and reflect-backs on others' airtimes, within the scope
    helped: int = 0            # …of which the presenter marked "this helped me"

    @property
    def user(self):
        return self.membership.user

    @property
    def replies(self) -> int:
        return sum(self.by_kind.values())

    @property
    def help_replies(self) -> int:
        return self.by_kind[Reply.Kind.QUESTION] + self.by_kind[Reply.Kind.REFLECTION]

    @property
    def posts(self) -> int:
        return self.airtimes + self.replies

    @property
    def words(self) -> int:
        return self.airtime_words + self.reply_words

    @property
    def response_rate(self) -> float | None:
        return stats.share(self.questions_answered, self.questions_received)

    @property
    def helpful_share(self) -> float | None:
        return stats.share(self.helped, self.asked_others)


@dataclass
class HelpfulFigures:
    """The presenters' "this question helped me" marks (actionsets.HelpfulMark) within the scope.

    The presenter's own judgement, not a measure of the asker: many presenters mark nothing."""

    by_kind: list[dict]         # {"kind", "label", "asked", "helped", "share"} per question kind
    marks: list[HelpfulMark]    # each with .openness (the open-question heuristic)
    openness: dict              # "open" / "closed" / "other" → marked questions
    airtimes_marked: int        # airtimes with at least one mark
    first_median: timedelta | None   # airtime presented → first question later marked helpful

    @property
    def asked(self) -> int:
        return sum(row["asked"] for row in self.by_kind)

    @property
    def helped(self) -> int:
        return sum(row["helped"] for row in self.by_kind)

    @property
    def share(self) -> float | None:
        return stats.share(self.helped, self.asked)


@dataclass
class Dashboard:
    action_set: ActionSet
    now: datetime
    rounds: list[Round]
    round: Round | None            # the scope; None = the whole set
    open_round: Round | None
    members: list[MemberFigures]
    matrix: list[tuple[MemberFigures, list]]
    codes: list[Code]
    annotations_by_round: list[tuple[int, dict]]
    first_reply: dict
    totals: dict
    helpful: HelpfulFigures

    @property
    def learners(self) -> list[MemberFigures]:
        return [m for m in self.members if not m.membership.is_facilitator]

    @property
    def equity_since(self) -> Round | None:
        """The round whose opening decides who counts for equity: the scope, or the set's first round."""
        return self.round or min(self.rounds, key=lambda r: r.opens_at, default=None)

    @property
    def present_learners(self) -> list[MemberFigures]:
        """Learners who were members when `equity_since` opened (all of them when there is no round)."""
        since = self.equity_since
        if since is None:
            return self.learners
        return [m for m in self.learners if m.membership.joined_at <= since.opens_at]

    def _equity(self, values: list[int]) -> stats.Equity:
        since = self.equity_since
        label = "" if since is None else _("round %(number)s opened") % {"number": since.number}
        return stats.equity(values, since_label=label, left_out=len(self.learners) - len(self.present_learners))

    @property
    def equity_posts(self) -> stats.Equity:
        return self._equity([m.posts for m in self.present_learners])

    @property
    def equity_words(self) -> stats.Equity:
        return self._equity([m.words for m in self.present_learners])

    @property
    def silent(self) -> list[MemberFigures]:
        """Learners with no post in the open round (empty when no round is open)."""
        if self.open_round is None:
            return []
        return [m for m in self.learners if m.posts_in_open_round == 0]

    @property
    def word_list(self) -> bool:
        """Whether the set's language has advice and open-question word lists (actionsets/advice.py).
        Without one the dashboard says the signals are unavailable instead of showing zeros."""
        return has_word_list(self.action_set.language)

    @property
    def language_name(self) -> str:
        return language_name(self.action_set.language)

    def days_since(self, member: MemberFigures) -> int | None:
        return None if member.last_post_ever is None else (self.now - member.last_post_ever).days

    def is_quiet(self, member: MemberFigures) -> bool:
        days = self.days_since(member)
        return days is None or days >= self.action_set.quiet_after_days


def _scoped(q: Q | None, scope: Q | None) -> Q | None:
    # Scope first: SQL evaluates a FILTER's AND left to right, so other rounds' rows stop early.
    if q is None:
        return scope
    return q if scope is None else scope & q


def _airtime_rows(action_set, rnd, open_round):
    scope = Q(round=rnd) if rnd else None
    return (
        Airtime.objects.filter(action_set=action_set).order_by().values("presenter")
        .annotate(n=Count("pk", filter=scope), words=Sum("word_count", filter=scope),
                  last=Max("created_at", filter=scope), last_ever=Max("created_at"),
                  in_open=Count("pk", filter=Q(round=open_round) if open_round else Q(round__isnull=True)))
    )


def _reply_rows(action_set, rnd, open_round):
    scope = Q(airtime__round=rnd) if rnd else None
    question = Q(kind__in=QUESTION_KINDS)
    kinds = {k: Count("pk", filter=_scoped(Q(kind__in=reply_kinds.DASHBOARD_GROUPS[k]), scope)) for k in KINDS}
    return (
        Reply.objects.filter(airtime__action_set=action_set).order_by().values("author")
        .annotate(**kinds, words=Sum("word_count", filter=scope),
                  hidden=Count("pk", filter=_scoped(Q(hidden=True), scope)),
                  asks=Count("pk", filter=_scoped(question & Q(body__contains="?"), scope)),
                  # Advice signals: the flag stored at save time (actionsets/advice.py).
                  advice=Count("pk", filter=_scoped(Q(kind__in=HELP_KINDS, has_advice_signal=True), scope)),
                  disguised=Count("pk", filter=_scoped(question & Q(has_advice_signal=True), scope)),
                  last=Max("created_at", filter=scope), last_ever=Max("created_at"),
                  in_open=Count("pk", filter=Q(airtime__round=open_round) if open_round
                                else Q(airtime__round__isnull=True)))
    )


def _replies_in(action_set, rnd):
    qs = Reply.objects.filter(airtime__action_set=action_set)
    return qs.filter(airtime__round=rnd) if rnd else qs


def _matrix_rows(action_set, rnd):
    """(author, target, n): who replies to whom."""
    return (
        _replies_in(action_set, rnd).order_by()
        .annotate(target=Coalesce("in_reply_to__author", "airtime__presenter"))
        .values("author", "target").annotate(n=Count("pk"))
    )


def _response_rows(action_set, rnd):
    """Per presenter: questions others asked on their airtimes, and how many they answered."""
    answered = Reply.objects.filter(in_reply_to=OuterRef("pk"), author=OuterRef("airtime__presenter"))
    return (
        _replies_in(action_set, rnd).filter(kind__in=QUESTION_KINDS)
        .exclude(author=F("airtime__presenter"))
        .annotate(was_answered=Exists(answered)).order_by().values("airtime__presenter")
        .annotate(total=Count("pk"), answered=Count("pk", filter=Q(was_answered=True)))
    )


def _first_reply_rows(action_set, rnd):
    """Per airtime: when it was presented and when someone other than the presenter first replied."""
    qs = Airtime.objects.filter(action_set=action_set)
    if rnd:
        qs = qs.filter(round=rnd)
    return (
        qs.order_by().annotate(first=Min("replies__created_at", filter=~Q(replies__author=F("presenter"))))
        .values_list("presenter", "created_at", "first")
    )


def _helpful_rows(action_set, rnd):
    """Per asker × kind: questions put to someone else, and how many the presenter marked helpful."""
    return (
        _replies_in(action_set, rnd).filter(kind__in=QUESTION_KINDS).exclude(author=F("airtime__presenter"))
        .order_by().values("author", "kind").annotate(asked=Count("pk"), helped=Count("helpful_mark"))
    )


def _helpful_marks(action_set, rnd) -> list[HelpfulMark]:
    """Every mark in the scope, with the question, its author and airtime: one query. Marks are few
    by nature (the presenter's handful per airtime), at most one per question."""
    qs = HelpfulMark.objects.filter(reply__airtime__action_set=action_set)
    if rnd:
        qs = qs.filter(reply__airtime__round=rnd)
    return list(qs.select_related("reply__author", "reply__airtime").order_by("created_at"))


def _fill_helpful(members, action_set, rnd) -> HelpfulFigures:
    labels = dict(Reply.Kind.choices)
    by_kind = {k: {"kind": k, "label": labels[k], "asked": 0, "helped": 0} for k in QUESTION_KINDS}
    for row in _helpful_rows(action_set, rnd):
        by_kind[row["kind"]]["asked"] += row["asked"]
        by_kind[row["kind"]]["helped"] += row["helped"]
        if m := members.get(row["author"]):
            m.asked_others += row["asked"]
            m.helped += row["helped"]
    rows = [dict(row, share=stats.share(row["helped"], row["asked"])) for row in by_kind.values()
            if row["asked"] or row["kind"] != Reply.Kind.QUESTION]   # the legacy kind only when used
    marks = _helpful_marks(action_set, rnd)
    openness = {"open": 0, "closed": 0, "other": 0}
    first: dict[int, timedelta] = {}
    for mark in marks:
        mark.reply.airtime.action_set = action_set  # links need the slug; not another query
        mark.openness = question_openness(mark.reply.body, action_set.language)
        openness[mark.openness] += 1
        airtime = mark.reply.airtime
        wait = mark.reply.created_at - airtime.created_at
        first[airtime.pk] = min(wait, first.get(airtime.pk, wait))
    return HelpfulFigures(by_kind=rows, marks=marks, openness=openness, airtimes_marked=len(first),
                          first_median=stats.median_duration(list(first.values())))


def _commitment_rows(action_set, rnd):
    qs = ActionCommitment.objects.filter(airtime__action_set=action_set)
    if rnd:
        qs = qs.filter(airtime__round=rnd)
    return (
        qs.order_by().values("owner")
        .annotate(formed=Count("pk"), reported=Count("pk", filter=Q(reported_at__isnull=False)),
                  done=Count("pk", filter=Q(status=Status.DONE)),
                  changed=Count("pk", filter=Q(status=Status.CHANGED)),
                  dropped=Count("pk", filter=Q(status=Status.DROPPED)))
    )


def _nudge_rows(action_set):
    """Nudges sent to each member, and escalations sent to facilitators about them."""
    return (
        Nudge.objects.filter(action_set=action_set).order_by()
        .values("user", "about_user", "kind").annotate(n=Count("pk"), last=Max("sent_at"))
    )


def _annotation_rows(action_set):
    return (
        Annotation.objects.filter(reply__airtime__action_set=action_set).order_by()
        .values("reply__author", "reply__airtime__round__number", "code").annotate(n=Count("pk"))
    )


def _codes(action_set) -> list[Code]:
    """The default scheme's codes, plus any other code already used in this set."""
    used = Annotation.objects.filter(reply__airtime__action_set=action_set, code=OuterRef("pk"))
    return list(
        Code.objects.filter(Q(scheme__is_default=True) | Exists(used)).select_related("scheme")
        .order_by("-scheme__is_default", "scheme__name", "position", "label")
    )


def _members(action_set) -> dict[int, MemberFigures]:
    memberships = (
        Membership.objects.current().filter(action_set=action_set).exclude(role=Membership.Role.RESEARCHER)
        .select_related("user")  # researchers take no part: never counted (issue 17)
        .order_by("-role", "user__display_name", "user__email")
    )
    return {m.user_id: MemberFigures(membership=m) for m in memberships}


def _fill_posts(members, action_set, rnd, open_round) -> None:
    for row in _airtime_rows(action_set, rnd, open_round):
        if m := members.get(row["presenter"]):
            m.airtimes, m.airtime_words = row["n"], row["words"] or 0
            m.last_post_at, m.last_post_ever, m.posts_in_open_round = row["last"], row["last_ever"], row["in_open"]
    for row in _reply_rows(action_set, rnd, open_round):
        if m := members.get(row["author"]):
            m.by_kind = {k: row[k] for k in KINDS}
            m.reply_words, m.hidden, m.asks = row["words"] or 0, row["hidden"], row["asks"]
            m.advice, m.disguised = row["advice"], row["disguised"]
            m.last_post_at = max(filter(None, [m.last_post_at, row["last"]]), default=None)
            m.last_post_ever = max(filter(None, [m.last_post_ever, row["last_ever"]]), default=None)
            m.posts_in_open_round += row["in_open"]


def _fill_matrix(members, action_set, rnd) -> list[tuple[MemberFigures, list]]:
    counts: dict[tuple[int, int], int] = {}
    for row in _matrix_rows(action_set, rnd):
        author, target = row["author"], row["target"]
        if author == target:
            continue
        counts[(author, target)] = row["n"]
        if author in members:
            members[author].given += row["n"]
        if target in members:
            members[target].received += row["n"]
    peak = max(counts.values(), default=0)
    matrix = []
    for author in members.values():
        cells = []
        for target in members.values():
            n = None if author is target else counts.get((author.user.pk, target.user.pk), 0)
            level = 0 if not n else 1 + min(3, (4 * n - 1) // peak)
            cells.append({"n": n, "level": level, "target": target})
        matrix.append((author, cells))
    return matrix


def _fill_process(members, action_set, rnd) -> dict:
    for row in _response_rows(action_set, rnd):
        if m := members.get(row["airtime__presenter"]):
            m.questions_received, m.questions_answered = row["total"], row["answered"]
    for row in _commitment_rows(action_set, rnd):
        if m := members.get(row["owner"]):
            m.commitments = {k: row[k] for k in ("formed", "reported", "done", "changed", "dropped")}
    waits, unanswered, presented = [], 0, 0
    for _presenter, created_at, first in _first_reply_rows(action_set, rnd):
        presented += 1
        if first is None:
            unanswered += 1
        else:
            waits.append(first - created_at)
    return {"median": stats.median_duration(waits), "replied": len(waits), "waiting": unanswered,
            "airtimes": presented}


def _fill_engagement(members, action_set, rnd) -> list[tuple[int, dict]]:
    labels = dict(Nudge.Kind.choices)
    for row in _nudge_rows(action_set):
        about = row["about_user"] if row["kind"] == Nudge.Kind.QUIET_ESCALATION else row["user"]
        if m := members.get(about):
            m.nudges.append({"kind": labels.get(row["kind"], row["kind"]), "n": row["n"], "last": row["last"]})
    by_round: dict[int, dict] = {}
    for row in _annotation_rows(action_set):
        number, code, n = row["reply__airtime__round__number"], row["code"], row["n"]
        totals = by_round.setdefault(number, {})
        totals[code] = totals.get(code, 0) + n
        m = members.get(row["reply__author"])
        if m and (rnd is None or rnd.number == number):
            m.annotations[code] = m.annotations.get(code, 0) + n
    return sorted(by_round.items())


def _totals(members: list[MemberFigures]) -> dict:
    def total(attr):
        return sum(getattr(m, attr) for m in members)

    kinds = {k: sum(m.by_kind[k] for m in members) for k in KINDS}
    help_replies = kinds[Reply.Kind.QUESTION] + kinds[Reply.Kind.REFLECTION]
    commitments = {k: sum(m.commitments.get(k, 0) for m in members)
                   for k in ("formed", "reported", "done", "changed", "dropped")}
    received, answered = total("questions_received"), total("questions_answered")
    return {
        "airtimes": total("airtimes"), "replies": total("replies"), "words": total("words"),
        "hidden": total("hidden"), "kinds": kinds, "help_replies": help_replies,
        "question_share": stats.share(kinds[Reply.Kind.QUESTION], help_replies),
        "reflection_share": stats.share(kinds[Reply.Kind.REFLECTION], help_replies),
        "advice": total("advice"), "advice_share": stats.share(total("advice"), help_replies),
        "disguised": total("disguised"), "asks": total("asks"),
        "questions_received": received, "questions_answered": answered,
        "response_rate": stats.share(answered, received), "commitments": commitments,
    }


def dashboard(action_set: ActionSet, *, rounds: list[Round], scope: Round | None, now: datetime) -> Dashboard:
    """All the dashboard's figures in 12 queries, whatever the number of posts or members.

    `scope` is one round, or None for the whole set; `rounds` are the set's rounds, already loaded.
    """
    open_round = next((r for r in rounds if r.state_at(now) == Round.State.OPEN), None)
    by_user = _members(action_set)
    _fill_posts(by_user, action_set, scope, open_round)
    matrix = _fill_matrix(by_user, action_set, scope)
    first_reply = _fill_process(by_user, action_set, scope)
    annotations_by_round = _fill_engagement(by_user, action_set, scope)
    helpful = _fill_helpful(by_user, action_set, scope)
    members = list(by_user.values())
    return Dashboard(
        action_set=action_set, now=now, rounds=rounds, round=scope, open_round=open_round, members=members,
        matrix=matrix, codes=_codes(action_set), annotations_by_round=annotations_by_round, first_reply=first_reply,
        totals=_totals(members), helpful=helpful,
    )


def as_hours(duration: timedelta | None) -> float | None:
    return None if duration is None else round(duration.total_seconds() / 3600, 1)


"""What goes in a digest, built for a whole batch of recipients in a fixed number of queries.

Per set the recipient currently belongs to (and has not muted): questions waiting for them, new
airtimes, new replies grouped by thread, their open commitments and the round's deadlines. "New"
means created inside the period's window, by someone else, not hidden, and after the recipient's
read marker for that thread. Confidential sets get titles and counts, never post text. Nothing the
recipient may not yet see in the thread (ask before you see, `activity.AskFirst`) is shown,
quoted or counted — as the digest is built, at `now`.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils.translation import gettext

from accounts.models import User
from actionsets.models import ActionCommitment, Airtime, Membership, ReadMarker, Reply, Round

from .. import activity, wording
from ..emails import excerpt, in_language, set_url, thread_url
from ..models import DigestDelivery
from ..schedule import DigestPeriod, digest_period, local_label

REPLIES_SHOWN_PER_THREAD = 3
UPCOMING_ROUND_DAYS = 7


@dataclass
class PostNews:
    title: str
    url: str
    author: str = ""
    kind: str = ""
    excerpt: str | None = None  # None in confidential sets
    airtime_id: int | None = None  # the thread it is in (a reply address names it)
    reply_id: int | None = None
    closes_at: datetime | None = None  # its round's close (when the reply address expires)


@dataclass
class ThreadNews:
    title: str
    presenter: str
    url: str
    replies: list[PostNews] = field(default_factory=list)
    kinds: Counter = field(default_factory=Counter)
    waiting: int = 0  # of these, replies waiting for the reader's answer (shown in their own list)
    airtime_id: int | None = None
    closes_at: datetime | None = None

    @property
    def total(self) -> int:
        return sum(self.kinds.values())

    @property
    def shown(self) -> list[PostNews]:
        return self.replies[-REPLIES_SHOWN_PER_THREAD:]

    @property
    def more(self) -> int:
        return self.total - self.waiting - len(self.shown)

    @property
    def kinds_label(self) -> str:
        """"2 clarifying questions, 1 reflect-back": each kind counted, in the active language."""
        return ", ".join(wording.counted(kind, n)
                         for kind, n in sorted(self.kinds.items(), key=lambda item: wording.sort_key(item[0])))


@dataclass
class SetDigest:
    name: str
    url: str
    confidential: bool
    waiting: list[PostNews] = field(default_factory=list)
    new_airtimes: list[PostNews] = field(default_factory=list)
    threads: list[ThreadNews] = field(default_factory=list)
    commitments: list[PostNews] = field(default_factory=list)
    deadlines: list[str] = field(default_factory=list)
    # "Dr X joined as facilitator": members always learn who can read everything (issue 11).
    facilitator_news: list[str] = field(default_factory=list)

    @property
    def new_count(self) -> int:
        return len(self.new_airtimes) + sum(thread.total for thread in self.threads)

    @property
    def waiting_by_thread(self) -> list[tuple[str, str, int]]:
        """(title, url, count) for confidential sets, which show counts instead of the posts."""
        counts: dict[tuple[str, str], int] = Counter((item.title, item.url.split("#")[0]) for item in self.waiting)
        return [(title, url, n) for (title, url), n in counts.items()]


@dataclass
class Digest:
    user: User
    period: DigestPeriod
    sets: list[SetDigest]

    @property
    def item_count(self) -> int:
        return sum(s.new_count for s in self.sets)

    @property
    def waiting_count(self) -> int:
        return sum(len(s.waiting) for s in self.sets)

    @property
    def single_thread(self) -> tuple[int, int | None, datetime | None] | None:
        """(airtime, post answered, round close) when everything new or waiting in this digest is in
        one thread, so a reply by email can only mean that thread (docs/email-replies.md): the post
        answered is the one reply waiting for the reader, if there is exactly one. Else None."""
        items = [(p.airtime_id, p.closes_at) for s in self.sets for p in s.new_airtimes + s.waiting]
        items += [(t.airtime_id, t.closes_at) for s in self.sets for t in s.threads]
        if not items or len({airtime_id for airtime_id, _ in items}) != 1 or None in items[0]:
            return None
        waiting = [p for s in self.sets for p in s.waiting]
        return items[0][0], (waiting[0].reply_id if len(waiting) == 1 else None), items[0][1]

    @property
    def is_empty(self) -> bool:
        """Nothing new. Waiting questions, commitments and deadlines alone do not make an email:
        they are context (the nudges chase them). A new facilitator is news: it always goes out."""
        return self.item_count == 0 and not any(s.facilitator_news for s in self.sets)


def _text(obj, confidential: bool) -> str | None:
    return None if confidential else excerpt(obj.head)


@dataclass
class _Batch:
    """Everything the batch loaded, indexed by set or by recipient for building each digest."""

    now: datetime
    memberships: dict[int, list[Membership]]
    facilitators: dict[int, list[Membership]]     # by set: current facilitators, with their user
    rounds: dict[int, list[Round]]
    new_airtimes: dict[int, list[Airtime]]        # by set
    new_replies: dict[int, list[Reply]]           # by set
    read: dict[tuple[int, int], datetime]          # (user, airtime) → last read
    waiting: dict[int, list[Reply]]               # by the user they wait for
    commitments: dict[int, list[ActionCommitment]]  # by owner
    presented: set[tuple[int, int]]                # (presenter, round)
    ask_first: activity.AskFirst                   # which replies each reader may see yet


def _group(rows, key) -> dict:
    grouped = defaultdict(list)
    for row in rows:
        grouped[key(row)].append(row)
    return grouped


def _load(users: list[User], periods: dict[int, DigestPeriod], now: datetime) -> _Batch | None:
    user_ids = [u.pk for u in users]
    # One query for the recipients' memberships and the facilitators of their sets ("joined as
    # facilitator"), so a batch's query count stays fixed. Recipients are
    # `activity.current_memberships` (muted excluded); a facilitator who muted the set is still announced.
    mine = activity.current_memberships(user_id__in=user_ids)
    rows = list(Membership.objects.current().filter(
        Q(pk__in=mine.values("pk"))
        | Q(role__in=(Membership.Role.FACILITATOR, Membership.Role.RESEARCHER), action_set_id__in=mine.values("action_set_id"))
    ).select_related("action_set", "user"))
    recipients, muted = set(user_ids), Membership.NotificationLevel.MUTED
    # Never a researcher's own membership: they get no email about the set they research (issue 17).
    memberships = _group([m for m in rows if m.user_id in recipients and m.notification_level != muted
                          and not m.is_researcher],
                         lambda m: m.user_id)
    set_ids = {m.action_set_id for ms in memberships.values() for m in ms}
    if not set_ids:
        return None
    since = min(p.since for p in periods.values())
    until = max(p.due_at for p in periods.values())
    rounds = _group(Round.objects.filter(
        action_set_id__in=set_ids, closes_at__gt=now, opens_at__lte=now + timedelta(days=UPCOMING_ROUND_DAYS)
    ).order_by("opens_at"), lambda r: r.action_set_id)
    new_airtimes = activity.airtimes(action_set_id__in=set_ids, created_at__gte=since, created_at__lt=until)
    new_replies = (
        activity.with_head(
            Reply.objects.filter(
                airtime__action_set_id__in=set_ids, created_at__gte=since, created_at__lt=until, hidden=False
            ).select_related("author", "airtime", "airtime__presenter", "airtime__round")
        ).defer(*(f"airtime__{name}" for name in activity.AIRTIME_HEAVY)).order_by("created_at", "pk")
    )
    read = {
        (user_id, airtime_id): at
        for user_id, airtime_id, at in ReadMarker.objects.filter(
            user_id__in=user_ids, airtime__action_set_id__in=set_ids, airtime__last_activity_at__gte=since
        ).values_list("user_id", "airtime_id", "last_read_at")
    }
    waiting = activity.waiting_replies(user_ids=user_ids, set_ids=set_ids, now=now)
    commitments = (
        ActionCommitment.objects.filter(
            owner_id__in=user_ids, status=ActionCommitment.Status.OPEN, airtime__action_set_id__in=set_ids
        ).select_related("airtime", "due_round").defer(*(f"airtime__{name}" for name in activity.AIRTIME_HEAVY))
    )
    presented = set(
        Airtime.objects.filter(activity.in_open_round(now), presenter_id__in=user_ids, action_set_id__in=set_ids)
        .values_list("presenter_id", "round_id")
    )
    ask_first = activity.AskFirst(activity.questions_that_may_be_withheld(set_ids=set_ids, now=now), now=now)
    return _Batch(
        now, memberships, _group([m for m in rows if m.is_facilitator or m.is_researcher], lambda m: m.action_set_id), rounds, _group(new_airtimes, lambda a: a.action_set_id),
        _group(new_replies, lambda r: r.airtime.action_set_id), read, _group(waiting, lambda r: r.addressed_id),
        _group(commitments, lambda c: c.owner_id), presented, ask_first,
    )


def _unread(batch: _Batch, user: User, airtime_id: int, created_at: datetime) -> bool:
    marker = batch.read.get((user.pk, airtime_id))
    return marker is None or created_at > marker


def _set_digest(batch: _Batch, user: User, period: DigestPeriod, membership: Membership) -> SetDigest:
    action_set = membership.action_set
    digest = SetDigest(name=action_set.name, url=set_url(action_set.slug), confidential=action_set.confidential_digests)

    def visible(replies: list[Reply]) -> list[Reply]:
        return batch.ask_first.visible(replies, user_id=user.pk, action_set=action_set,
                                       is_facilitator=membership.is_facilitator)

    waiting = visible([r for r in batch.waiting.get(user.pk, []) if r.airtime.action_set_id == action_set.pk])
    digest.waiting = [_post_news(reply, action_set) for reply in waiting]
    waiting_ids = {reply.pk for reply in waiting}

    def new_to_user(post, airtime_id: int) -> bool:
        return period.since <= post.created_at < period.due_at and _unread(batch, user, airtime_id, post.created_at)

    closes = {r.pk: r.closes_at for r in batch.rounds.get(action_set.pk, [])}
    digest.new_airtimes = [
        PostNews(title=a.title, author=a.presenter.name, url=thread_url(action_set.slug, a.pk),
                 excerpt=_text(a, digest.confidential), airtime_id=a.pk, closes_at=closes.get(a.round_id))
        for a in batch.new_airtimes.get(action_set.pk, []) if a.presenter_id != user.pk and new_to_user(a, a.pk)
    ]
    threads: dict[int, ThreadNews] = {}
    new_replies = [reply for reply in batch.new_replies.get(action_set.pk, [])
                   if reply.author_id != user.pk and new_to_user(reply, reply.airtime_id)]
    for reply in visible(new_replies):
        airtime = reply.airtime
        thread = threads.setdefault(airtime.pk, ThreadNews(
            title=airtime.title, presenter=airtime.presenter.name, url=thread_url(action_set.slug, airtime.pk),
            airtime_id=airtime.pk, closes_at=airtime.round.closes_at,
        ))
        thread.kinds[reply.kind] += 1
        if reply.pk in waiting_ids:
            thread.waiting += 1  # listed once, under "waiting for your answer"
        else:
            thread.replies.append(_post_news(reply, action_set))
    digest.threads = sorted(threads.values(), key=lambda t: -t.total)
    digest.commitments = [
        PostNews(title=c.airtime.title, url=set_url(action_set.slug, "commitments"),
                 kind=(gettext("report back in round %(number)s") % {"number": c.due_round.number}
                       if c.due_round else gettext("report back next round")),
                 excerpt=None if digest.confidential else c.text)
        for c in batch.commitments.get(user.pk, []) if c.airtime.action_set_id == action_set.pk
    ]
    digest.deadlines = _deadlines(batch, user, membership)
    announced = batch.facilitators.get(action_set.pk, [])  # and researchers: who reads the set
    digest.facilitator_news = [
        gettext("%(name)s joined as facilitator") % {"name": m.user.name} for m in announced
        if m.is_facilitator and m.user_id != user.pk and period.since <= m.facilitating_since < period.due_at
    ] + [
        gettext("%(name)s joined as researcher: they read the set and post nothing in it") % {"name": m.user.name}
        for m in announced if m.is_researcher and period.since <= m.researching_since < period.due_at
    ]
    return digest


def _post_news(reply: Reply, action_set) -> PostNews:
    return PostNews(
        title=reply.airtime.title, author=reply.author.name, kind=wording.in_sentence(reply),
        url=thread_url(action_set.slug, reply.airtime_id, reply.pk),
        excerpt=_text(reply, action_set.confidential_digests),
        airtime_id=reply.airtime_id, reply_id=reply.pk, closes_at=reply.airtime.round.closes_at,
    )


def _deadlines(batch: _Batch, user: User, membership: Membership) -> list[str]:
    lines = []
    for rnd in batch.rounds.get(membership.action_set_id, []):
        if rnd.state_at(batch.now) == Round.State.OPEN:
            lines.append(gettext("Round %(number)s closes %(when)s.") % {
                "number": rnd.number, "when": local_label(rnd.closes_at, user.timezone)})
            if not membership.is_facilitator and (user.pk, rnd.pk) not in batch.presented:
                lines.append(gettext("You have not presented in round %(number)s yet.") % {"number": rnd.number})
        else:
            lines.append(gettext("Round %(number)s opens %(when)s.") % {
                "number": rnd.number, "when": local_label(rnd.opens_at, user.timezone)})
    return lines


def due_periods(users: list[User], now: datetime) -> dict[int, DigestPeriod]:
    periods = {}
    for user in users:
        period = digest_period(frequency=user.digest_frequency, tzname=user.timezone, hour=user.digest_hour, now=now)
        if period is not None:
            periods[user.pk] = period
    return periods


def build_digests(user_ids: list[int], *, now: datetime) -> list[Digest]:
    """Digests (empty ones included) for those of `user_ids` due at `now` and not yet delivered.

    Eleven queries whatever the batch holds: users, deliveries, memberships, rounds, new airtimes,
    new replies, read markers, waiting replies, commitments, my airtimes in open rounds, and the
    questions that ask-before-you-see may withhold.
    """
    users = list(
        User.objects.filter(pk__in=user_ids, is_active=True).exclude(digest_frequency=User.DigestFrequency.OFF)
    )
    periods = due_periods(users, now)
    if not periods:
        return []
    delivered = set(
        DigestDelivery.objects.filter(
            user_id__in=list(periods), period_start__in={p.period_start for p in periods.values()}
        ).values_list("user_id", "frequency", "period_start")
    )
    periods = {pk: p for pk, p in periods.items() if (pk, *p.key) not in delivered}
    users = [u for u in users if u.pk in periods]
    batch = _load(users, periods, now) if users else None
    if batch is None:
        return [Digest(user=u, period=periods[u.pk], sets=[]) for u in users]
    return [_digest(batch, user, periods[user.pk]) for user in users]


def _digest(batch: _Batch, user: User, period: DigestPeriod) -> Digest:
    with in_language(user):  # its lines ("Round 3 closes …") in the recipient's language (issue 18)
        return Digest(
            user=user, period=period,
            sets=[s for s in (_set_digest(batch, user, period, m) for m in _by_name(batch, user))
                  if s.new_count or s.waiting or s.facilitator_news],
        )


def _by_name(batch: _Batch, user: User) -> list[Membership]:
    return sorted(batch.memberships.get(user.pk, []), key=lambda m: m.action_set.name)

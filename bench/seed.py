"""Seed a realistic large installation quickly, straight into the configured database.

Not through the services: 60,000 `post_reply` calls would take many minutes. Rows are built in
memory with explicit primary keys (so reply trees can point at their parents before insertion),
precomputed `path`/`depth`, counters equal to the real counts, and `body_html` rendered once per
distinct body, then written with `bulk_create`. Sequences are reset afterwards (PostgreSQL).
"""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from actionsets.markdown import render_markdown
from actionsets.services import count_words
from actionsets.advice import has_signal
from actionsets.models import (
    MAX_REPLY_DEPTH, PATH_SEGMENT_WIDTH, ActionCommitment, ActionSet, Airtime, Cohort, Draft, Membership,
    ReadMarker, Reply, Round, SearchDocument,
)

from engagement.models import Notification

from . import texts

BENCH_DOMAIN = "bench.invalid"
PASSWORD = "bench-password-not-secret"


@dataclass(frozen=True)
class Size:
    name: str
    sets: int
    learners_per_set: int
    replies: int  # spread over the ordinary sets' airtimes
    big_set_replies: int
    rounds: int = 4
    sets_per_facilitator: int = 5


FULL = Size("full", sets=200, learners_per_set=6, replies=60_000, big_set_replies=2_000)
SMOKE = Size("smoke", sets=3, learners_per_set=4, replies=90, big_set_replies=60)
SPECIAL_THREADS = {"thread20": 20, "thread200": 200, "threaddrafts": 20}
# The thread the member reads with drafts of their own in it (issue 14): one per this many replies.
DRAFT_EVERY = 4
MODELS = [User, Cohort, ActionSet, Round, Membership, Airtime, Reply, ActionCommitment, ReadMarker, Draft, Notification]


class NotScratch(Exception):
    pass


def ensure(size: Size, *, reseed: bool = False, log=print) -> dict:
    """Seed unless this database already holds this size's seed; return the world description."""
    slug = f"bench-{size.name}"
    if not reseed and Cohort.objects.filter(slug=slug).exists():
        log(f"reusing the {size.name} seed already in the database (--reseed to rebuild)")
        if not SearchDocument.objects.exists():  # seeded before search: index it now
            index_for_search(log)
        return describe(size)
    check_scratch()
    call_command("flush", interactive=False, verbosity=0)
    Seeder(size, log=log).run()
    return describe(size)


def index_for_search(log=print) -> None:
    """The search index, as the services would have written it post by post (docs/search.md)."""
    from actionsets.search.rebuild import rebuild

    log(f"  search index: {rebuild()}")


def check_scratch() -> None:
    """Raise NotScratch unless every user here is one the benchmark made (addresses @BENCH_DOMAIN)."""
    strangers = User.objects.exclude(email__endswith=f"@{BENCH_DOMAIN}")
    if strangers.exists():
        raise NotScratch(
            "this database holds users that the benchmark did not create: point DATABASE_URL at a "
            "scratch database (the benchmark empties it)"
        )


def describe(size: Size) -> dict:
    main, big = ActionSet.objects.get(slug="bench-main"), ActionSet.objects.get(slug="bench-big")
    threads = {
        key: Airtime.objects.get(action_set=main, title__startswith=f"[{key}]").pk for key in SPECIAL_THREADS
    }
    facilitator = Membership.objects.get(action_set=big, role=Membership.Role.FACILITATOR).user
    draft_parent = (Draft.objects.filter(airtime_id=threads["threaddrafts"], parent__isnull=False)
                    .values_list("parent_id", flat=True).order_by("pk").first())
    return {
        "size": size.name, "main_set": main.slug, "big_set": big.slug, **threads, "draft_parent": draft_parent,
        "member": User.objects.get(email=f"learner0@{BENCH_DOMAIN}"), "facilitator": facilitator,
        "counts": {m.__name__: m.objects.count() for m in (User, ActionSet, Round, Airtime, Reply)},
    }


def analyze() -> None:
    """Planner statistics on PostgreSQL, as a live database has them (after bulk writes)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


class Seeder:
    def __init__(self, size: Size, *, log=print):
        self.size, self.log = size, log
        self.rng = random.Random(6)
        self.now = timezone.now()
        self.next_id = {m: (m.objects.aggregate(n=Max("pk"))["n"] or 0) + 1 for m in MODELS}
        self.rows: dict = {m: [] for m in MODELS}
        # Every stored fact a real post gets from services.post_reply at save time.
        self.reply_bodies = [
            {"body": b, "body_html": render_markdown(b), "word_count": count_words(b),
             "has_advice_signal": has_signal(b)}
            for b in texts.reply_bodies(self.rng)
        ]
        self.airtime_bodies = [(b, render_markdown(b)) for b in texts.airtime_bodies(self.rng)]

    def _new(self, model, **fields):
        obj = model(pk=self.next_id[model], **fields)
        self.next_id[model] += 1
        self.rows[model].append(obj)
        return obj

    def run(self) -> None:
        size = self.size
        with transaction.atomic():
            cohort = self._new(Cohort, name=f"Benchmark cohort ({size.name})", slug=f"bench-{size.name}",
                               starts_on=(self.now - timedelta(days=40)).date())
            users = self._users()
            sets = [self._set(cohort, n) for n in range(size.sets)]
            facilitators = users["facilitators"]
            learners = iter(users["learners"])
            ordinary = size.replies // max(1, (size.sets - 1) * size.learners_per_set * 3 - 2)
            for n, action_set in enumerate(sets):
                members = [next(learners) for _ in range(size.learners_per_set)]
                facilitator = facilitators[n // size.sets_per_facilitator]
                self._populate(action_set, members, facilitator, ordinary_replies=ordinary)
            for model in MODELS:
                model.objects.bulk_create(self.rows[model], batch_size=2000)
                self.log(f"  {len(self.rows[model]):>7,} {model.__name__}")
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), MODELS):
                    cursor.execute(sql)
            self._email_addresses(users)
        index_for_search(self.log)
        analyze()

    def _users(self) -> dict:
        password = make_password(PASSWORD)  # hashed once: every bench user shares it
        n_learners = self.size.sets * self.size.learners_per_set
        n_facilitators = -(-self.size.sets // self.size.sets_per_facilitator)

        def user(email, name):
            return self._new(User, email=email, display_name=name, password=password,
                             date_joined=self.now - timedelta(days=60))

        return {
            "learners": [user(f"learner{i}@{BENCH_DOMAIN}", texts.person(i)) for i in range(n_learners)],
            "facilitators": [user(f"facilitator{i}@{BENCH_DOMAIN}", f"{texts.person(i + 7)} (facilitator)")
                             for i in range(n_facilitators)],
        }

    def _email_addresses(self, users) -> None:
        from allauth.account.models import EmailAddress

        EmailAddress.objects.bulk_create(
            [EmailAddress(user_id=u.pk, email=u.email, verified=True, primary=True)
             for u in users["learners"] + users["facilitators"]],
            batch_size=2000,
        )

    def _set(self, cohort, n: int) -> ActionSet:
        slug = {0: "bench-main", 1: "bench-big"}.get(n, f"bench-set-{n}")
        rules = texts.GROUND_RULES
        return self._new(ActionSet, cohort=cohort, name=texts.set_name(n), slug=slug, ground_rules=rules,
                         ground_rules_html=render_markdown(rules), created_at=self.now - timedelta(days=45))

    def _rounds(self, action_set) -> list[Round]:
        # Rounds 1-2 closed, 3 open (opened 8 days ago), 4 scheduled.
        first = self.now - timedelta(days=36)
        return [
            self._new(Round, action_set=action_set, number=k + 1, opens_at=first + timedelta(days=14 * k),
                      closes_at=first + timedelta(days=14 * (k + 1)))
            for k in range(self.size.rounds)
        ]

    def _populate(self, action_set, members, facilitator, *, ordinary_replies: int) -> None:
        rounds = self._rounds(action_set)
        joined = self.now - timedelta(days=40)
        for user in members:
            self._new(Membership, user=user, action_set=action_set, joined_at=joined,
                      ground_rules_accepted_at=joined + timedelta(hours=3))
        self._new(Membership, user=facilitator, action_set=action_set, role=Membership.Role.FACILITATOR,
                  joined_at=joined, ground_rules_accepted_at=joined)
        people = [*members, facilitator]
        airtimes = [(rnd, presenter) for rnd in rounds[:3] for presenter in members]
        budget = self._reply_plan(action_set, len(airtimes), ordinary_replies)
        for index, (rnd, presenter) in enumerate(airtimes):
            title, n_replies = budget[index]
            airtime = self._airtime(action_set, rnd, presenter, title)
            replies = self._thread(airtime, people, facilitator, n_replies)
            if title.startswith("[threaddrafts]"):
                self._drafts(airtime, members[0], replies)
            self._commitments(airtime, rounds)
            self._read_markers(airtime, people)

    def _reply_plan(self, action_set, n_airtimes: int, ordinary: int) -> list[tuple[str, int]]:
        rng = self.rng
        if action_set.slug == "bench-big":
            share = self.size.big_set_replies // n_airtimes
            plan = [share] * n_airtimes
            plan[-1] += self.size.big_set_replies - share * n_airtimes
        else:
            plan = [max(0, ordinary + rng.randint(-ordinary // 2, ordinary // 2)) for _ in range(n_airtimes)]
        titles = [texts.title(rng) for _ in plan]
        if action_set.slug == "bench-main":  # the two measured threads, in the open round
            for slot, (key, n) in zip((-1, -2, -3), SPECIAL_THREADS.items(), strict=True):
                titles[slot], plan[slot] = f"[{key}] {titles[slot]}", n
        return list(zip(titles, plan, strict=True))

    def _airtime(self, action_set, rnd, presenter, title) -> Airtime:
        body, html = self.rng.choice(self.airtime_bodies)
        created = rnd.opens_at + timedelta(hours=self.rng.randint(1, 40))
        return self._new(Airtime, action_set=action_set, round=rnd, presenter=presenter, title=title,
                         body=body, body_html=html, created_at=created, last_activity_at=created)

    def _thread(self, airtime, people, facilitator, n: int) -> None:
        rng, replies = self.rng, []
        others = [p for p in people if p.pk != airtime.presenter_id and p is not facilitator]
        end = min(airtime.round.closes_at, self.now) - timedelta(minutes=5)
        step = (end - airtime.created_at) / max(n, 1)
        for seq in range(1, n + 1):
            candidates = [r for r in replies[-8:] if r.depth < MAX_REPLY_DEPTH]
            parent = rng.choice(candidates) if candidates and rng.random() < 0.6 else None
            if parent is not None and parent.author_id != airtime.presenter_id and rng.random() < 0.5:
                author, kind = airtime.presenter, Reply.Kind.RESPONSE
            elif parent is None and rng.random() < 0.05:
                author, kind = facilitator, Reply.Kind.SUMMARY
            else:
                author = rng.choice(others)
                kind = Reply.Kind.QUESTION if rng.random() < 0.7 else Reply.Kind.REFLECTION
            replies.append(self._new(
                Reply, airtime=airtime, parent=parent, in_reply_to=parent, author=author, kind=kind,
                **rng.choice(self.reply_bodies), created_at=airtime.created_at + step * seq,
                path=(parent.path if parent else "") + f"{seq:0{PATH_SEGMENT_WIDTH}d}",
                depth=parent.depth + 1 if parent else 0,
            ))
            self._notification(replies[-1], airtime)
        airtime.reply_count = n
        airtime.last_activity_at = replies[-1].created_at if replies else airtime.created_at
        return replies

    def _drafts(self, airtime, author, replies) -> None:
        """The member's unposted drafts in one thread: to the airtime, and to every DRAFT_EVERY-th reply."""
        for parent in [None, *replies[::DRAFT_EVERY]]:
            self._new(Draft, author=author, action_set=airtime.action_set, round=airtime.round, airtime=airtime,
                      parent=parent, kind="", body=self.rng.choice(self.reply_bodies)["body"],
                      created_at=self.now - timedelta(hours=2), updated_at=self.now - timedelta(hours=1))

    def _notification(self, reply, airtime) -> None:
        """What engagement.notifications writes for a reply: "replied to you", or "asked on your
        airtime" for a top-level question; most already read (the /notifications/ page's load)."""
        parent = reply.in_reply_to
        if parent is not None and parent.author_id != reply.author_id:
            kind, user = Notification.Kind.REPLY, parent.author
        elif parent is None and reply.kind == Reply.Kind.QUESTION and airtime.presenter_id != reply.author_id:
            kind, user = Notification.Kind.QUESTION, airtime.presenter
        else:
            return
        self._new(Notification, user=user, kind=kind, action_set=airtime.action_set, airtime=airtime, reply=reply,
                  actor=reply.author, key=f"{kind}.reply.{reply.pk}.user.{user.pk}", created_at=reply.created_at,
                  visible_at=reply.created_at,
                  read_at=reply.created_at + timedelta(hours=6) if self.rng.random() < 0.8 else None)

    def _commitments(self, airtime, rounds) -> None:
        number = airtime.round.number
        if number >= 3 and self.rng.random() < 0.5:
            return
        for k in range(1 if number >= 3 else 2):
            fields = {"text": texts.commitment(self.rng), "due_round": rounds[number] if number < len(rounds) else None}
            if number == 1:  # round 2 has happened: these were reported back
                report = texts.report_back(self.rng)
                fields.update(status=self.rng.choice(["done", "changed", "done", "dropped"]), report_back=report,
                              report_back_html=render_markdown(report), reported_at=rounds[1].opens_at + timedelta(days=1))
            self._new(ActionCommitment, airtime=airtime, owner=airtime.presenter,
                      created_at=airtime.last_activity_at, **fields)

    def _read_markers(self, airtime, people) -> None:
        for person in people:
            roll = self.rng.random()
            if roll < 0.15:
                continue  # never opened
            at = airtime.last_activity_at if roll > 0.4 else airtime.created_at + timedelta(hours=6)
            self._new(ReadMarker, user=person, airtime=airtime, last_read_at=at)

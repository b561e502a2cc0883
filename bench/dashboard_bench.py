"""Seed a set with 2,000 replies and time the facilitator dashboard through Django's test client.

    .venv/bin/python bench/dashboard_bench.py                  # fresh SQLite file in a temp dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/dashboard_bench.py
    .venv/bin/python bench/dashboard_bench.py --replies 400 --members 4 --runs 20

Everything is written through the services (paths, counters, word counts as in production), in
closed and open rounds, with an uneven spread of authors, presenter responses, advice phrasing,
annotations, hidden replies, commitments and nudges, so every dashboard query has rows to chew on.
It prints the query count and the median/min wall time of the dashboard and the CSV export.
This times the view in-process (no HTTP server, no network); docs/architecture.md, section 5's gunicorn
benchmark is the next step up.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("ACTIONSETS_TESTING", "1")  # plain static storage, insecure key allowed
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

QUESTIONS = [
    "What have you tried so far?", "How do you think {name} sees the deadline?",
    "What would success look like for you by the end of term?", "Have you tried talking to {name} directly?",
    "Why not ask the team what they would change?", "What is stopping you from having that conversation?",
    "Who else is affected when this slips?", "What assumptions are you making about {name}?",
]
REFLECTIONS = [
    "Reading this, I realise I do the same with my own team.", "I notice I avoid these conversations too.",
    "In my experience the rota only works if people write it together.", "This made me wonder about my own habits.",
]
RESPONSES = ["Good question — I haven't, and I think I am afraid of the answer.", "Not yet. I will try this week.",
             "I think {name} sees it as my job, which is part of the problem."]


def _when(start, step_minutes):
    return start + timedelta(minutes=step_minutes)


def seed(*, replies: int = 2000, members: int = 8, rounds: int = 5, slug: str | None = None):
    """A set with `members` members (one facilitator) and about `replies` replies. Returns (set, facilitator)."""
    from django.utils import timezone

    from actionsets import services
    from actionsets.models import Membership, Reply
    from facilitation import services as fac
    from facilitation.models import Code
    from engagement.models import Nudge
    from tests.factories import ActionSetFactory, CohortFactory, MembershipFactory, RoundFactory

    rng = random.Random(4)
    slug = slug or f"bench-{int(time.time())}"  # unique names, so runs can share a database
    action_set = ActionSetFactory(slug=slug, name="Benchmark set", cohort=CohortFactory(slug=f"{slug}-cohort"))
    facilitator = MembershipFactory(action_set=action_set, role=Membership.Role.FACILITATOR,
                                    user__display_name="Fran Facilitator", user__email=f"fac@{slug}.example").user
    learners = [MembershipFactory(action_set=action_set, user__display_name=f"Learner {i + 1}",
                                  user__email=f"learner{i + 1}@{slug}.example").user
                for i in range(members - 1)]
    weights = [max(1, len(learners) - i) for i in range(len(learners))]  # an uneven set, as real ones are
    now = timezone.now()
    first_open = now - timedelta(days=14 * (rounds - 1) + 2)
    codes = list(Code.objects.filter(scheme__is_default=True))
    per_airtime = max(1, -(-replies // (rounds * len(learners))))  # round up: at least `replies` in all
    posted = 0
    for number in range(1, rounds + 1):
        opens = first_open + timedelta(days=14 * (number - 1))
        # Question phases that span the round, so every seeded post is one its phase allows.
        rnd = RoundFactory(action_set=action_set, number=number, opens_at=opens, closes_at=opens + timedelta(days=14),
                           clarifying_hours=24 * 7, probing_hours=24 * 7)
        last_round = number == rounds
        for i, presenter in enumerate(learners):
            start = opens + timedelta(hours=i)
            airtime = services.present_airtime(presenter=presenter, action_set=action_set, title=f"Issue {number}.{i}",
                                               body="We keep missing deadlines and I do not know why. " * 3, now=start)
            services.record_commitment(owner=presenter, airtime=airtime, text="Talk to Sam by Friday", now=start)
            window = (now - start) if last_round else timedelta(days=12)
            step = window.total_seconds() / 60 / (per_airtime + 2)
            questions = []
            for k in range(per_airtime):
                if posted >= replies:
                    break
                at = _when(start, step * (k + 1))
                others = [p for p in learners if p != presenter]
                author = rng.choices(others, weights=[weights[learners.index(p)] for p in others])[0]
                name = rng.choice(others).name
                if questions and rng.random() < 0.35:
                    reply = services.post_reply(author=presenter, airtime=airtime, parent=rng.choice(questions),
                                                body=rng.choice(RESPONSES).format(name=name), now=at)
                elif rng.random() < 0.2:
                    reply = services.post_reply(author=author, airtime=airtime, kind=Reply.Kind.REFLECT_BACK,
                                                body=rng.choice(REFLECTIONS), now=at)
                else:
                    reply = services.post_reply(author=author, airtime=airtime,
                                                body=rng.choice(QUESTIONS).format(name=name), now=at)
                    questions.append(reply)
                posted += 1
                if posted % 10 == 0 and codes:
                    fac.annotate_reply(facilitator=facilitator, reply=reply, code=rng.choice(codes), note="")
                if posted % 97 == 0:
                    fac.hide_reply(actor=facilitator, reply=reply, reason="Names someone outside the set")
        del rnd
    for learner in learners[-2:]:
        Nudge.objects.create(user=learner, action_set=action_set, kind=Nudge.Kind.QUIET_MEMBER, period=f"round:{rounds}")
    return action_set, facilitator


def _time(client, url, runs):
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()  # start from an empty query log (seeding ran thousands of queries)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    queries = len(ctx.captured_queries)  # now: the next request's signal clears the log
    if os.environ.get("BENCH_SHOW_SQL"):
        for q in sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[:5]:
            print(f"    {float(q['time']) * 1000:6.1f} ms  {q['sql'][:110]}")
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return queries, statistics.median(timings), min(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replies", type=int, default=2000)
    parser.add_argument("--members", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from actionsets.models import Reply

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    action_set, facilitator = seed(replies=args.replies, members=args.members, rounds=args.rounds)
    seeded = time.perf_counter() - started
    count = Reply.objects.filter(airtime__action_set=action_set).count()
    client = Client()
    client.force_login(facilitator)
    print(f"database: {django.db.connection.vendor}; seeded {count} replies, {args.members} members, "
          f"{args.rounds} rounds in {seeded:.1f} s")
    for label, url in [
        ("dashboard (whole set)", reverse("facilitation:dashboard", args=[action_set.slug])),
        ("dashboard (one round)", reverse("facilitation:dashboard", args=[action_set.slug]) + "?round=2"),
        ("CSV export", reverse("facilitation:export", args=[action_set.slug])),
        ("advice-signal posts", reverse("facilitation:signals", args=[action_set.slug])),
    ]:
        queries, median, fastest = _time(client, url, args.runs)
        print(f"{label:24} {queries:3d} queries   median {median:7.1f} ms   min {fastest:7.1f} ms   ({args.runs} runs)")


if __name__ == "__main__":
    main()

"""The demo's set process around the airtimes: check-ins at the start of each round, the round 1
process review and its summary, and a few private journal entries. Written through the services
with `now=` in the past, like everything else `seed_demo` creates."""

from datetime import datetime, timedelta

from actionsets import services
from actionsets.models import ActionSet, Airtime, Round

CHECK_INS = [
    ("Arriving after a heavy marking week — glad of a space to think.", 2),
    ("Curious and a bit nervous: I've never presented a problem to strangers before.", 3),
    ("Good week. The sun is out and my inbox is (nearly) under control.", 5),
    ("Distracted by a grant deadline, but I've blocked an hour a day for the set.", 3),
    ("Tired. Teaching started and the timetable is a mess — so, on topic.", 2),
    ("Here, and looking forward to hearing everyone's issues.", 4),
    ("Jet-lagged from a conference, so my questions may come at odd hours.", 3),
]
ROUND_2_CHECK_INS = [
    ("Back with news on my actions — more went right than I expected.", 4),
    ("Slower start this time: a family thing, all fine now.", 2),
    ("Energised by the report-backs already posted. Thank you all.", 5),
    ("Honestly a bit flat. Reorganisation rumours again.", 2),
]
REVIEWS = [
    ("Short, open questions worked: I noticed my first drafts were advice and I rewrote them.",
     "Ask one question at a time, and wait for the answer before the next."),
    ("The clarifying phase stopped me jumping to solutions.", "Post earlier in the phase, not on the last evening."),
    ("Reflect-backs caught two misunderstandings.", "Use them more when a thread gets long."),
    ("Hearing the same question from three people was a sign — ask before you see might help.", ""),
]
SUMMARY = ("**What worked:** open, short questions; reflect-backs that caught misunderstandings; presenters "
           "answering quickly.\n\n**What we'll change:** one question at a time, post earlier in each phase, and "
           "try *ask before you see* in round 2 to avoid echoing each other.")
JOURNAL = {
    "a1": [
        ("describe", "The kick-off meeting",
         "At the set's questions I realised the only date the team ever hears is the internal deadline."),
        ("reflect", "Why I hold the pressure",
         "I call it protecting people. It is also a way of staying in control — and then resenting it."),
    ],
    "b1": [("perspectives", "The PI on leave",
            "From her side, being asked for one hour may feel like trust, not an imposition.")],
}


def seed_process(action_set: ActionSet, rounds: list[Round], people: dict, facilitator, *, now: datetime) -> None:
    """`people`: key → user for the learners who take part (accepted the rules)."""
    learners = [user for key, user in people.items() if key != "fac"]
    r1, r2 = rounds[0], rounds[1]
    for i, user in enumerate(learners):
        body, energy = CHECK_INS[i % len(CHECK_INS)]
        services.check_in(author=user, round=r1, body=body, energy=energy,
                                  now=r1.opens_at + timedelta(hours=2 + 5 * i))
    late = r1.closes_at - timedelta(hours=30)
    for i, user in enumerate(learners[: len(REVIEWS)]):
        worked, differently = REVIEWS[i]
        services.review_process(author=user, round=r1, what_worked=worked, do_differently=differently,
                                        now=late + timedelta(hours=4 * i))
    services.summarise_review(actor=facilitator, round=r1, summary=SUMMARY, now=r1.closes_at + timedelta(hours=20))
    elapsed = now - r2.opens_at
    for i, user in enumerate(learners[: len(ROUND_2_CHECK_INS)]):
        body, energy = ROUND_2_CHECK_INS[i]
        services.check_in(author=user, round=r2, body=body, energy=energy,
                                  now=r2.opens_at + elapsed * (0.05 + 0.15 * i))
    for key, entries in JOURNAL.items():
        if key not in people:
            continue
        airtime = Airtime.objects.filter(round=r1, presenter=people[key]).first()
        for j, (level, title, body) in enumerate(entries):
            services.write_entry(author=people[key], action_set=action_set, level=level, title=title, body=body,
                                airtime=airtime, now=r1.closes_at - timedelta(days=2) + timedelta(hours=6 * j))


def introduce_and_start(action_set: ActionSet, sc, people: dict, facilitator, *, joined: datetime,
                        starts: datetime) -> None:
    """The forming week: everyone introduces themselves; then the facilitator starts round 1."""
    about = {p.key: p for p in sc.learners}
    for i, (key, user) in enumerate(people.items()):
        person = sc.facilitator if key == "fac" else about[key]
        services.introduce(
            author=user, action_set=action_set, now=joined + timedelta(hours=30 + 3 * i),
            body=f"Hello — I'm {person.display_name} ({person.about}). {INTRO_LINES[i % len(INTRO_LINES)]}",
        )
    services.change_set_state(actor=facilitator, action_set=action_set, to=ActionSet.State.ACTIVE,
                                        reason="Ground rules agreed by everyone; round 1 begins.", now=starts)


INTRO_LINES = [
    "I'm hoping the set helps me slow down before I reach for solutions.",
    "I bring a messy problem about deadlines and a lot of curiosity about everyone else's.",
    "I'd like to get better at asking questions rather than fixing things.",
    "New to action learning; a colleague said it changed how she leads meetings.",
    "Looking forward to thinking alongside people outside my own department.",
    "My issue sketch: a team that has gone quiet. Let's see where the questions take it.",
]

"""`python manage.py seed_demo [--password P]`: a demo cohort with two sets mid-programme.

Everything members did is written through `actionsets.services` (with `now=` to place it in the
past), so counters, paths, read markers and due rounds are exactly what the app itself would
produce. Only plain rows — users, their email addresses, the cohort and the sets — are created
directly. The whole seed is one transaction: it either exists completely or not at all, which is
what makes "already exists, skip" a safe idempotence check.
"""

import random
from datetime import datetime, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from actionsets import phases, services
from actionsets.models import ActionSet, Airtime, Cohort, Membership, Reply, Round

from . import _demo_content as content
from . import _demo_process

DEFAULT_PASSWORD = "demo-pass-123"
EXISTING = "existing account, password unchanged"


class Command(BaseCommand):
    help = "Create a demo cohort with two action sets, their members and a round and a half of activity."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password", default=DEFAULT_PASSWORD,
            help=f"Password for the demo accounts it creates (default: {DEFAULT_PASSWORD}).",
        )

    def handle(self, *args, password: str, **options):
        if not password:
            raise CommandError("--password must not be empty.")
        slugs = [s.slug for s in content.SETS]
        exists = Cohort.objects.filter(slug=content.COHORT_SLUG).exists()
        if exists or ActionSet.objects.filter(slug__in=slugs).exists():
            self.stdout.write(
                f"The demo already exists (cohort '{content.COHORT_SLUG}'); nothing was changed."
            )
            return
        seeder = _Seeder(password=password, now=timezone.now())
        with transaction.atomic():
            seeder.run()
        self._report(seeder, password)

    def _report(self, seeder: "_Seeder", password: str) -> None:
        self.stdout.write(
            self.style.SUCCESS(f"Created the demo cohort '{content.COHORT_NAME}' ({content.COHORT_SLUG}).")
        )
        self.stdout.write("")
        self.stdout.write(f"{'email':<20} {'name':<18} {'where':<32} {'time zone':<20} note")
        for person, where, note in seeder.accounts:
            self.stdout.write(f"{person.email:<20} {person.display_name:<18} {where:<32} {person.timezone:<20} {note}")
        self.stdout.write("")
        if seeder.created:
            self.stdout.write(f"Password for the new accounts: {password}")


class _Seeder:
    def __init__(self, *, password: str, now: datetime) -> None:
        self.password = password
        self.now = now
        hour = now.replace(minute=0, second=0, microsecond=0)
        # Round 1 ran from 30 to 16 days ago; round 2 opened 2 days ago; round 3 follows a
        # two-week action period after round 2, as in docs/set-process.md.
        self.r1_open = hour - timedelta(days=30)
        self.r2_open = hour - timedelta(days=2)
        self.r3_open = self.r2_open + timedelta(days=28)
        self.users: dict[str, User] = {}
        self.accounts: list[tuple[content.Person, str, str]] = []
        self.memberships: dict[tuple[str, str], Membership] = {}
        self.created: set[str] = set()  # emails of the accounts this run created
        self.former: set[tuple[str, str]] = set()  # (set slug, person key) of members who left

    # --- people and sets -----------------------------------------------------------------

    def run(self) -> None:
        admin = self._user(content.ADMIN, superuser=True)
        self.accounts.append((content.ADMIN, "staff (no access to set content)", self._note(admin)))
        cohort = Cohort.objects.create(
            name=content.COHORT_NAME, slug=content.COHORT_SLUG,
            starts_on=(self.r1_open - timedelta(days=7)).date(),
            ends_on=(self.r1_open + timedelta(days=270)).date(),
        )
        for set_content in content.SETS:
            self._seed_set(cohort, set_content, admin)

    def _seed_set(self, cohort: Cohort, sc: content.SetContent, admin: User) -> None:
        # The set forms in the week before round 1: introductions and ground rules (version 1,
        # agreed), then the facilitator starts the working rounds.
        joined = self.r1_open - timedelta(days=7)
        action_set = ActionSet.objects.create(cohort=cohort, name=sc.name, slug=sc.slug, created_at=joined)
        services.set_ground_rules(action_set=action_set, ground_rules=sc.ground_rules, now=joined)
        facilitator = self._user(sc.facilitator)
        self._join(action_set, sc.facilitator, Membership.Role.FACILITATOR, joined, admin)
        self.accounts.append((sc.facilitator, f"{sc.slug} (facilitator)", self._note(facilitator)))
        for i, person in enumerate(p for p in sc.learners if p is not content.LATE_JOINER):
            self._user(person)
            self._join(action_set, person, Membership.Role.LEARNER, joined + timedelta(hours=i), admin)
        rounds = [
            services.schedule_round(action_set=action_set, opens_at=opens, actor=facilitator)
            for opens in (self.r1_open, self.r2_open, self.r3_open)
        ]
        by_key = {"fac": facilitator, **{p.key: self.users[p.key] for p in sc.learners if p.key in self.users}}
        _demo_process.introduce_and_start(action_set, sc, by_key, facilitator, joined=joined, starts=self.r1_open)
        action_set.refresh_from_db()
        self._choose_round_2_process(sc, rounds[1], facilitator)

        for k, airtime in enumerate(content.ROUND_1[sc.slug]):
            self._seed_round_1_airtime(action_set, airtime, k, by_key)
        self._remove_former_member(action_set, sc, admin)
        if content.LATE_JOINER in sc.learners:
            self._user(content.LATE_JOINER)
            # Joined after round 1 and has not accepted the ground rules yet: can read, can't post.
            services.add_member(action_set=action_set, user=self.users[content.LATE_JOINER.key],
                                actor=admin, now=self.now - timedelta(days=3))
        self._seed_round_2(action_set, sc, by_key)
        current = {key: user for key, user in by_key.items()
                   if (sc.slug, key) not in self.former and key != content.LATE_JOINER.key}
        _demo_process.seed_process(action_set, rounds, current, facilitator, now=self.now)
        self._mark_round_1_read(action_set, rounds[0])
        for person in sc.learners:
            where = f"{sc.slug} (learner)"
            if person is content.FORMER_MEMBER:
                where = f"{sc.slug} (former member)"
            elif person is content.LATE_JOINER:
                where = f"{sc.slug} (rules not accepted)"
            self.accounts.append((person, where, self._note(self.users[person.key])))

    def _choose_round_2_process(self, sc: content.SetContent, round_2: Round, facilitator: User) -> None:
        # Set A asks before it sees in round 2; set B's facilitator shortened the clarifying window,
        # so the demo shows both phases at once (set A clarifying, set B probing).
        if sc.slug == "demo-set-a":
            services.set_phase_windows(actor=facilitator, round=round_2, windows={}, ask_before_seeing=True,
                                               reason="Trying the ask-before-you-see pattern.", now=self.r2_open)
        else:
            services.set_phase_windows(actor=facilitator, round=round_2, windows={"clarifying_hours": 24},
                                               ask_before_seeing=None, reason="Shorter clarifying, as agreed.",
                                               now=self.r2_open - timedelta(days=1))

    def _user(self, person: content.Person, *, superuser: bool = False) -> User:
        from allauth.account.models import EmailAddress

        user = User.objects.filter(email__iexact=person.email).first()
        if user is None:
            make = User.objects.create_superuser if superuser else User.objects.create_user
            user = make(person.email, self.password, display_name=person.display_name, timezone=person.timezone)
            self.created.add(user.email)
        address, _ = EmailAddress.objects.get_or_create(
            user=user, email=user.email,
            defaults={"verified": True, "primary": not EmailAddress.objects.filter(user=user, primary=True).exists()},
        )
        if not address.verified:
            address.verified = True
            address.save(update_fields=["verified"])
        self.users[person.key] = user
        return user

    def _note(self, user: User) -> str:
        return "created" if user.email in self.created else EXISTING

    def _join(self, action_set: ActionSet, person: content.Person, role: str, joined: datetime, admin: User) -> None:
        membership = services.add_member(
            action_set=action_set, user=self.users[person.key], role=role, actor=admin, now=joined
        )
        services.accept_ground_rules(membership=membership, now=joined + timedelta(days=1, hours=3))
        self.memberships[(action_set.slug, person.key)] = membership

    def _remove_former_member(self, action_set: ActionSet, sc: content.SetContent, admin: User) -> None:
        if content.FORMER_MEMBER not in sc.learners:
            return
        self.former.add((sc.slug, content.FORMER_MEMBER.key))
        services.remove_member(
            membership=self.memberships[(sc.slug, content.FORMER_MEMBER.key)], actor=admin,
            reason="Withdrew from the programme after round 1 (new role outside the university).",
            now=self.r1_open + timedelta(days=15),
        )

    # --- round 1: complete -----------------------------------------------------------------

    def _seed_round_1_airtime(self, action_set: ActionSet, ac: content.AirtimeContent, k: int, by_key: dict) -> None:
        rng = random.Random(f"{action_set.slug}:1:{ac.presenter}")
        presented_at = self.r1_open + timedelta(hours=5 + 7 * k, minutes=rng.randint(0, 90))
        airtime = services.present_airtime(
            presenter=by_key[ac.presenter], action_set=action_set, title=ac.title, body=ac.body,
            offers_welcome=ac.offers_welcome, now=presented_at,
        )
        # The presenter writes each commitment as an "action commitment" in the thread, in the
        # summary-and-actions phase; post_reply records the commitment.
        actions = tuple(
            content.Post(f"action{j}", ac.presenter, Reply.Kind.ACTION, None, c.text) for j, c in enumerate(ac.commitments)
        )
        self._post_replies(airtime, ac.replies + actions, by_key, rng, until=self.now)

    def _post_replies(self, airtime: Airtime, posts, by_key: dict, rng: random.Random, *, until: datetime) -> None:
        """Post each reply inside the airtime phase its kind belongs to (actionsets/phases.py):
        evenly spread over the phase with jitter under half a slot, so the posting order (which
        fixes the materialised path) stays the order of the content within each phase."""
        spans = {span.phase: span for span in phases.airtime_timeline(airtime)}
        plan = _phase_plan(posts)
        at: dict[str, datetime] = {}
        for phase in phases.ORDER:
            group = [post for post in posts if plan[post.ref] == phase]
            if not group:
                continue
            span = spans[phase]
            end = min(span.ends_at, until - timedelta(minutes=5))
            if end <= span.starts_at:
                raise CommandError(f"Demo content error: {phase} posts on “{airtime.title}” lie in the future.")
            slot = (end - span.starts_at) / (len(group) + 1)
            for i, post in enumerate(group, start=1):
                at[post.ref] = span.starts_at + slot * (i + rng.uniform(-0.3, 0.3))
        by_ref: dict[str, Reply] = {}
        for post in sorted(posts, key=lambda p: at[p.ref]):
            by_ref[post.ref] = services.post_reply(
                author=by_key[post.author], airtime=airtime, body=post.body, kind=post.kind,
                parent=by_ref[post.parent] if post.parent else None, now=at[post.ref],
            )

    def _mark_round_1_read(self, action_set: ActionSet, round_1: Round) -> None:
        # Everyone still in the set has caught up on round 1, so only round 2 shows as new.
        readers = [
            m.user for m in Membership.objects.current()
            .filter(action_set=action_set, ground_rules_accepted_at__isnull=False)
            .select_related("user")
        ]
        for airtime in Airtime.objects.filter(round=round_1):
            for user in readers:
                services.mark_read(user=user, airtime=airtime, at=round_1.closes_at)

    # --- round 2: just opened ----------------------------------------------------------------

    def _seed_round_2(self, action_set: ActionSet, sc: content.SetContent, by_key: dict) -> None:
        elapsed = self.now - self.r2_open

        def at(fraction: float) -> datetime:
            return self.r2_open + elapsed * fraction

        presenters = {ac.presenter: p for p, ac in enumerate(content.ROUND_2[sc.slug])}
        others = 0
        for ac in content.ROUND_1[sc.slug]:
            owner = by_key[ac.presenter]
            commitments = list(
                owner.commitments.filter(airtime__action_set=action_set, airtime__round__number=1).order_by("created_at")
            )
            for j, (commitment, planned) in enumerate(zip(commitments, ac.commitments, strict=True)):
                if planned.status == content.OPEN:
                    continue
                if ac.presenter in presenters:  # reports back before presenting again
                    when = at(0.03 + 0.1 * presenters[ac.presenter] + 0.01 * j)
                else:
                    when, others = at(min(0.3 + 0.12 * others, 0.95)), others + 1
                services.report_back(
                    owner=owner, commitment=commitment, status=planned.status,
                    what_happened=planned.report_back, now=when,
                )
        for p, ac in enumerate(content.ROUND_2[sc.slug]):
            rng = random.Random(f"{action_set.slug}:2:{ac.presenter}")
            presented_at = at(0.08 + 0.1 * p)
            airtime = services.present_airtime(
                presenter=by_key[ac.presenter], action_set=action_set, title=ac.title, body=ac.body,
                offers_welcome=ac.offers_welcome, now=presented_at,
            )
            self._post_replies(airtime, ac.replies, by_key, rng, until=self.now)


# The phase each kind of post belongs to. A reflect-back or a process note sits in the phase of
# the conversation just before it; a response in the phase of the question it answers.
_PHASE_OF_KIND = {
    Reply.Kind.CLARIFYING: phases.CLARIFYING, Reply.Kind.PROBING: phases.PROBING, Reply.Kind.OFFER: phases.OFFERS,
    Reply.Kind.SUMMARY: phases.SUMMARY, Reply.Kind.ACTION: phases.SUMMARY, Reply.Kind.REFLECTION: phases.REFLECTION,
}


def _phase_plan(posts) -> dict[str, str]:
    plan: dict[str, str] = {}
    conversation = phases.CLARIFYING
    for post in posts:
        if post.kind in _PHASE_OF_KIND:
            plan[post.ref] = _PHASE_OF_KIND[post.kind]
        elif post.kind == Reply.Kind.RESPONSE:
            plan[post.ref] = plan[post.parent]
        else:
            plan[post.ref] = conversation
        if post.kind in (Reply.Kind.CLARIFYING, Reply.Kind.PROBING, Reply.Kind.OFFER, Reply.Kind.RESPONSE):
            conversation = plan[post.ref]
    return plan

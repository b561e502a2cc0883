"""The pages and render places the quality gates check, in one module.

- `build_world()` makes one small, realistic set through the services: a closed round with a
  presented airtime, questions, a response and a reported-back commitment, and an open round
  with an airtime waiting for questions.
- `MAIN_PAGES` is what the browser suites visit (axe, screenshots, CSP, JavaScript off).
- `RENDER_PLACES` (tests/security/render_places.py builds on the world) is where user text is shown.

When a capability lands, add its pages here (the facilitator dashboard, digests, enrolment): every
suite picks them up. A page whose URL does not resolve fails every suite that visits it (a renamed
or removed URL must not quietly drop a page from the accessibility, CSP and HTML checks).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from actionsets import services
from actionsets.models import Membership
from research import services as research_services
from tests.factories import ActionSetFactory, MembershipFactory, RoundFactory, UserFactory

PASSWORD = "test-pass-123"  # tests.factories.DEFAULT_PASSWORD


@dataclass
class World:
    action_set: object
    round1: object
    round2: object
    presenter: object  # presented in round 1 (committed, reported back) and in round 2
    learner2: object  # asks questions
    facilitator: object
    newcomer: object  # a member who has not accepted the ground rules yet
    airtime1: object
    airtime2: object
    question: object
    response: object
    commitment: object

    def user(self, role: str | None):
        return None if role is None else getattr(self, role)


def build_world(*, slug: str = "design-team", text: Callable[[str], str] = lambda s: s) -> World:
    """A set mid-programme. `text` lets the XSS suite inject payloads into every user-written field."""
    now = timezone.now()
    action_set = ActionSetFactory(slug=slug, name="Design team set")
    services.set_ground_rules(action_set=action_set, ground_rules=text(
        "1. **Questions before advice.**\n2. What is said in the set stays in the set."
    ))
    # Round 1's story runs in hours, so its airtime phase windows are hours too (actionsets/phases.py):
    # clarifying 0–4 h, probing 4–6 h, then reflection.
    round1 = RoundFactory(action_set=action_set, number=1, opens_at=now - timedelta(days=20),
                          closes_at=now - timedelta(days=6), clarifying_hours=4, probing_hours=2, summary_hours=0)
    round2 = RoundFactory(action_set=action_set, number=2, opens_at=now - timedelta(days=6),
                          closes_at=now + timedelta(days=8))
    people = {
        role: MembershipFactory(action_set=action_set, role=kind, user__display_name=text(name),
                                user__email=f"{role.lower()}@{slug}.example.com").user
        for role, name, kind in [
            ("presenter", "Priya Patel", Membership.Role.LEARNER),
            ("learner2", "Ben Okafor", Membership.Role.LEARNER),
            ("facilitator", "Fran Holm", Membership.Role.FACILITATOR),
        ]
    }
    newcomer = MembershipFactory(action_set=action_set, ground_rules_accepted_at=None,
                                 user__display_name="Nia New", user__email=f"newcomer@{slug}.example.com").user
    earlier = now - timedelta(days=18)
    airtime1 = services.present_airtime(
        presenter=people["presenter"], action_set=action_set, now=earlier,
        title=text("Getting my team to own the timetable"),
        body=text("We keep missing **deadlines** and I end up doing the rota myself."),
    )
    question = services.post_reply(author=people["learner2"], airtime=airtime1, now=earlier + timedelta(hours=2),
                                   body=text("What have you tried so far?"))
    response = services.post_reply(author=people["presenter"], airtime=airtime1, parent=question,
                                   now=earlier + timedelta(hours=5), body=text("A shared calendar, twice."))
    services.post_reply(author=people["learner2"], airtime=airtime1, kind="reflection",
                        now=earlier + timedelta(hours=7), body=text("I notice you say *I* a lot."),
                        attachments=_sample_files())  # the thread page's file list (docs/files.md)
    commitment = services.record_commitment(owner=people["presenter"], airtime=airtime1, now=earlier + timedelta(days=1),
                                            text=text("Ask Sam for 20 minutes to agree the rota"))
    services.report_back(owner=people["presenter"], commitment=commitment, status="done", now=now - timedelta(days=5),
                         report_back=text("We agreed it in ten minutes. *Easier than I feared.*"))
    services.record_commitment(owner=people["presenter"], airtime=airtime1, now=earlier + timedelta(days=1),
                               text=text("Write the three options down"))
    airtime2 = services.present_airtime(
        presenter=people["presenter"], action_set=action_set, now=now - timedelta(hours=30),
        title=text("Saying no to one more committee"), body=text("I have said yes to four this year."),
    )
    # Ben's drafts (issue 14): his unposted question fills the open thread's reply box ("thread-open"),
    # and his half-written airtime the present page ("present").
    services.save_draft(author=people["learner2"], action_set=action_set, airtime=airtime2,
                        body=text("What would saying no *cost* you?"))
    services.save_draft(author=people["learner2"], action_set=action_set, title=text("Half a title"),
                        body=text("My airtime, **half** written."))
    # The presenter's "this helped me" on the question, shared with the set (issue 17), and a study
    # on the cohort the members see.
    services.mark_helpful(presenter=people["presenter"], reply=question, visibility="set",
                          why=text("It made me see the rota was never the problem."))
    study = research_services.register_study(
        actor=people["facilitator"], action_set=action_set, title=text("Questions in online sets"),
        ethics_reference="ETH-2026-17", contact=text("research@example.org"),
        information_sheet=text("We study **questions**. You may withdraw at any time."))
    research_services.decide_consent(user=people["learner2"], study=study, action_set=action_set, consented=True)
    research_services.revise_information_sheet(   # version 2: Ben is asked to confirm again
        actor=people["facilitator"], action_set=action_set, study=study, note=text("Check-ins too."),
        information_sheet=text("We study **questions** and check-ins. You may withdraw at any time."))
    return World(action_set, round1, round2, people["presenter"], people["learner2"], people["facilitator"],
                 newcomer, airtime1, airtime2, question, response, commitment)


def _study_id(world) -> int:
    from research.models import Study

    return Study.objects.filter(cohort_id=world.action_set.cohort_id).values_list("pk", flat=True).first()


def _sample_files():
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    image = io.BytesIO()
    Image.new("RGB", (64, 48), "teal").save(image, "PNG")
    return [SimpleUploadedFile("whiteboard.png", image.getvalue()), SimpleUploadedFile("rota notes.txt", b"Mon: Sam")]


@dataclass(frozen=True)
class MainPage:
    key: str
    url: Callable[[World], str]
    as_user: str | None  # a World role, or None for a signed-out visitor
    note: str = ""

    def path(self, world: World) -> str:
        """The page's path; NoReverseMatch when its URL no longer resolves, so the suite fails."""
        return self.url(world)


def _set_url(name: str, **extra: Callable[[World], object]) -> Callable[[World], str]:
    def url(world: World) -> str:
        kwargs = {"set_slug": world.action_set.slug, **{k: f(world) for k, f in extra.items()}}
        return reverse(f"actionsets:{name}", kwargs=kwargs)

    return url


MAIN_PAGES: list[MainPage] = [
    MainPage("sign-in", lambda w: reverse("account_login"), None),
    MainPage("home", lambda w: reverse("home"), "presenter"),
    MainPage("how-rounds-work", lambda w: reverse("how_rounds_work"), "learner2"),
    MainPage("set", _set_url("set_home"), "learner2"),
    MainPage("rules-to-accept", _set_url("rules"), "newcomer"),
    MainPage("set-newcomer", _set_url("set_home"), "newcomer", "welcome and the rules first, no airtimes"),
    MainPage("rules-from-a-link", lambda w: _set_url("rules")(w) + "?next=" + w.airtime2.get_absolute_url(), "newcomer",
             "sent by the gate: says why, keeps next"),
    MainPage("present-refused", _set_url("airtime_new"), "presenter", "already presented this round"),
    MainPage("present", _set_url("airtime_new"), "learner2"),
    MainPage("thread", _set_url("thread", airtime_id=lambda w: w.airtime1.pk), "learner2"),
    MainPage("thread-open", _set_url("thread", airtime_id=lambda w: w.airtime2.pk), "learner2"),
    MainPage("thread-presenter", _set_url("thread", airtime_id=lambda w: w.airtime2.pk), "presenter"),
    MainPage("commitments", _set_url("commitments"), "presenter"),
    MainPage("report-back", _set_url("commitment_report", commitment_id=lambda w: w.commitment.pk), "presenter"),
    MainPage("edit-reply", _set_url("reply_edit", airtime_id=lambda w: w.airtime1.pk,
                                    reply_id=lambda w: w.question.pk), "learner2"),
    MainPage("preferences", lambda w: reverse("account_preferences"), "presenter"),
    MainPage("member-card", _set_url("member", user_id=lambda w: w.presenter.pk), "learner2"),
    MainPage("search", lambda w: reverse("search") + "?q=timetable", "presenter", "results with snippets"),
    MainPage("search-set", lambda w: _set_url("search")(w) + "?q=calendar+OR+deadlines", "learner2"),
    MainPage("notifications", lambda w: reverse("engagement:notifications"), "presenter",
             "questions on my airtime, the unread count in the header"),
    MainPage("dashboard", lambda w: reverse("facilitation:dashboard", args=[w.action_set.slug]), "facilitator"),
    MainPage("coding", lambda w: reverse("facilitation:coding", args=[w.action_set.slug]), "facilitator"),
    MainPage("research", lambda w: reverse("research:studies", args=[w.action_set.slug]), "learner2"),
    MainPage("research-facilitate", lambda w: reverse("research:facilitate", args=[w.action_set.slug]), "facilitator"),
    MainPage("research-versions", lambda w: reverse("research:versions", args=[w.action_set.slug, _study_id(w)]),
             "learner2", "two versions of the sheet with the diff; Ben agreed to the first"),
    MainPage("research-revise", lambda w: reverse("research:revise", args=[w.action_set.slug, _study_id(w)]),
             "facilitator"),
]

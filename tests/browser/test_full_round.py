"""A full round of the set process in a real browser: check-in, present (offers welcome),
clarify, reflect back, respond, probe, offer, summary with an action, reflection — and the
report-back in the next round. Time passes by moving the round's and airtime's timestamps in the
database between steps. Screenshots of each phase go to test-artifacts/screenshots/."""

from datetime import timedelta

import pytest
from django.utils import timezone

from actionsets.models import ActionCommitment, Airtime, CheckIn, Reply, Round
from tests.browser.test_core_journey import ARTIFACTS, _sign_in
from tests.factories import MembershipFactory, RoundFactory

Kind = Reply.Kind


def _travel(airtime: Airtime, hours: float) -> None:
    """Make the airtime `hours` old; its round stays open."""
    now = timezone.now()
    started = now - timedelta(hours=hours)
    Round.objects.filter(pk=airtime.round_id).update(opens_at=started - timedelta(hours=1),
                                                     closes_at=now + timedelta(days=5))
    Airtime.objects.filter(pk=airtime.pk).update(created_at=started)


def _post(page, text, *, kind=None, answering=None):
    if kind:
        page.check(f"input[name=kind][value={kind}]")
    if answering:
        page.select_option("select[name=parent]", str(answering.pk))
    page.fill("textarea[name=body]", text)
    page.get_by_role("button", name="Post", exact=True).click()
    page.wait_for_selector(".messages")


def _shot(page, name):
    page.screenshot(path=str(ARTIFACTS / f"round-{name}.png"), full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_full_round_from_check_in_to_the_next_rounds_report_back(live_server, browser_page):  # noqa: F811
    page, base = browser_page, live_server.url
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    priya = MembershipFactory(action_set__slug="round-set", action_set__name="Round Set",
                              user__email="priya@example.com", user__display_name="Priya").user
    action_set = priya.memberships.get().action_set
    tom = MembershipFactory(action_set=action_set, user__email="tom@example.com", user__display_name="Tom").user
    MembershipFactory(action_set=action_set, user__email="ana@example.com", user__display_name="Ana")
    MembershipFactory(action_set=action_set, user__email="fran@example.com", user__display_name="Fran",
                      role="facilitator")
    round_1 = RoundFactory(action_set=action_set, number=1)
    round_2 = RoundFactory(action_set=action_set, number=2, opens_at=round_1.closes_at + timedelta(days=14))

    # Check-in, then present with offers welcome.
    _sign_in(page, base, "priya@example.com")
    page.goto(f"{base}/sets/round-set/rounds/1/")
    page.fill("textarea[name=body]", "Arriving tired but hopeful.")
    page.check("input[name=energy][value='3']")
    page.get_by_role("button", name="Check in").click()
    page.wait_for_selector("text=energy 3/5")
    assert CheckIn.objects.get(author=priya).energy == 3
    _shot(page, "1-check-in")
    page.goto(f"{base}/sets/round-set/airtime/new/")
    page.fill("input[name=title]", "My team keeps missing deadlines")
    page.fill("textarea[name=body]", "We agree plans, then nothing happens for weeks. What am I not seeing?")
    page.check("input[name=offers_welcome]")
    page.get_by_role("button", name="Present").click()
    page.wait_for_selector("h1#airtime-title")
    airtime = Airtime.objects.get(presenter=priya)
    assert airtime.offers_welcome and "Clarifying questions" in page.inner_text(".phase-now")

    # Clarifying: a question from Tom, a reflect-back from Ana (the template starts it), a response.
    _sign_in(page, base, "tom@example.com")
    page.goto(f"{base}{airtime.get_absolute_url()}")
    _post(page, "When you say nothing happens — what happens for you in those weeks?", kind=Kind.CLARIFYING)
    _sign_in(page, base, "ana@example.com")
    page.goto(f"{base}{airtime.get_absolute_url()}")
    page.check("input[name=kind][value=reflect_back]")
    assert page.input_value("textarea[name=body]") == "I understood you to mean … — is that right?"
    _post(page, "I understood you to mean the plan is clear but nobody owns the first step — is that right?")
    _sign_in(page, base, "priya@example.com")
    page.goto(f"{base}{airtime.get_absolute_url()}")
    question = Reply.objects.get(author=tom)
    _post(page, "Honestly, I wait — and then I take it all over.", answering=question)
    _shot(page, "2-clarifying")

    # Probing.
    _travel(airtime, 49)
    _sign_in(page, base, "tom@example.com")
    page.goto(f"{base}{airtime.get_absolute_url()}")
    assert "Probing questions" in page.inner_text(".phase-now")
    _post(page, "What would change if the team set their own first dates?")
    _shot(page, "3-probing")

    # Offers (the presenter asked for them).
    _travel(airtime, 121)
    _sign_in(page, base, "ana@example.com")
    page.goto(f"{base}{airtime.get_absolute_url()}")
    assert "Offers" in page.inner_text(".phase-now")
    _post(page, "An offer, take it or leave it: in my team we each name one rough-draft date at kick-off.")
    _shot(page, "4-offers")

    # Summary and actions: the presenter's turn.
    _travel(airtime, 145)
    _sign_in(page, base, "priya@example.com")
    page.goto(f"{base}{airtime.get_absolute_url()}")
    assert "Summary and actions" in page.inner_text(".phase-now")
    _post(page, "What I see now: I hold the pressure and call it kindness.", kind=Kind.SUMMARY)
    _post(page, "Ask each person for a rough-draft date at Monday's meeting.", kind=Kind.ACTION)
    commitment = ActionCommitment.objects.get(owner=priya)
    assert commitment.due_round == round_2 and commitment.reply.kind == Kind.ACTION
    _shot(page, "5-summary")

    # Reflection: everyone.
    _travel(airtime, 193)
    _sign_in(page, base, "tom@example.com")
    page.goto(f"{base}{airtime.get_absolute_url()}")
    assert "Reflection" in page.inner_text(".phase-now")
    _post(page, "I learned that I protect people from pressure too.")
    _shot(page, "6-reflection")
    kinds = list(Reply.objects.filter(airtime=airtime).order_by("created_at").values_list("kind", flat=True))
    assert kinds == [Kind.CLARIFYING, Kind.REFLECT_BACK, Kind.RESPONSE, Kind.PROBING, Kind.OFFER, Kind.SUMMARY,
                     Kind.ACTION, Kind.REFLECTION]

    # Next round: round 1 has closed, round 2 is open — Priya reports back from its page.
    now = timezone.now()
    Round.objects.filter(pk=round_1.pk).update(opens_at=now - timedelta(days=30), closes_at=now - timedelta(days=16))
    Airtime.objects.filter(pk=airtime.pk).update(created_at=now - timedelta(days=29))
    Round.objects.filter(pk=round_2.pk).update(opens_at=now - timedelta(hours=2), closes_at=now + timedelta(days=14))
    _sign_in(page, base, "priya@example.com")
    page.goto(f"{base}/sets/round-set/rounds/2/")
    page.locator("#report-backs").get_by_role("link", name="Report back").click()
    page.check("input[name=status][value=partly]")
    page.fill("textarea[name=what_happened]", "Three of four gave a date; one said she needed more time.")
    page.fill("textarea[name=learned]", "Asking is lighter than carrying it.")
    page.get_by_role("button", name="Save report-back").click()
    page.wait_for_url(f"{base}/sets/round-set/rounds/2/")
    section = page.inner_text("#report-backs")
    assert "Partly done" in section and "Three of four gave a date" in section
    assert "My team keeps missing deadlines" in section  # linked to where it was committed
    _shot(page, "7-report-back")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}{airtime.get_absolute_url()}")
    _shot(page, "8-thread-phone")
    commitment.refresh_from_db()
    assert commitment.status == ActionCommitment.Status.PARTLY and commitment.learned

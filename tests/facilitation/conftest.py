"""A small, fully known set for the facilitation tests (figures hand-computed in test_analytics.py).

Round 1 opened a day ago. Learners A (Ann), B (Ben), C (Cat), D (Dee, silent) and the facilitator.
  t0        A presents a1
  t0+1h     B presents a2
  t0+2h     B asks q1 on a1: "Have you tried talking to Sam?"  (advice signal: disguised advice)
  t0+4h     C asks q2 on a1; A asks q3 on a2
  t0+5h     A responds r1 to q1
  t0+6h     C reflects x1 on a1 (later hidden by the facilitator)
  t0+7h     the facilitator summarises s1 on a1
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest

from actionsets import services
from actionsets.models import Airtime, Membership, Reply, Round
from facilitation import services as facilitation_services
from tests.factories import MembershipFactory


@dataclass
class SmallSet:
    action_set: object
    round: object
    ann: object
    ben: object
    cat: object
    dee: object
    facilitator: object
    a1: Airtime
    a2: Airtime
    q1: Reply
    q2: Reply
    q3: Reply
    r1: Reply
    x1: Reply
    s1: Reply
    t0: object


@pytest.fixture
def small_set(action_set, open_round, facilitator) -> SmallSet:
    def member(name):
        return MembershipFactory(action_set=action_set, user__display_name=name,
                                 user__email=f"{name.lower()}@example.com").user

    ann, ben, cat, dee = member("Ann"), member("Ben"), member("Cat"), member("Dee")
    # Everyone was a member before the round opened, so equity counts them all (analytics.py).
    Membership.objects.filter(action_set=action_set).update(joined_at=open_round.opens_at - timedelta(days=1))
    t0 = open_round.opens_at + timedelta(hours=1)
    # The story runs in hours, so the round's phase windows are hours too (actionsets/phases.py):
    # clarifying 0–4 h, probing 4–6 h, then reflection — each post below lands in its phase.
    Round.objects.filter(pk=open_round.pk).update(clarifying_hours=4, probing_hours=2, summary_hours=0)
    h = timedelta(hours=1)
    a1 = services.present_airtime(presenter=ann, action_set=action_set, title="Timetable", body="We miss deadlines.",
                                  now=t0)
    a2 = services.present_airtime(presenter=ben, action_set=action_set, title="Feedback", body="Giving feedback up.",
                                  now=t0 + h)
    q1 = services.post_reply(author=ben, airtime=a1, body="Have you tried talking to Sam?", now=t0 + 2 * h)
    q2 = services.post_reply(author=cat, airtime=a1, body="What matters most to you here?", now=t0 + 4 * h)
    q3 = services.post_reply(author=ann, airtime=a2, body="What would success look like?", now=t0 + 4 * h)
    r1 = services.post_reply(author=ann, airtime=a1, body="Not yet: I am afraid of the answer.", parent=q1,
                             now=t0 + 5 * h)
    x1 = services.post_reply(author=cat, airtime=a1, kind=Reply.Kind.REFLECTION,
                             body="SECRET-REFLECTION I realise I do the same with my team.", now=t0 + 6 * h)
    s1 = services.post_reply(author=facilitator, airtime=a1, kind=Reply.Kind.SUMMARY,
                             body="So far: questions about Sam and about what matters.", now=t0 + 7 * h)
    facilitation_services.hide_reply(actor=facilitator, reply=x1, reason="Names a colleague")
    return SmallSet(action_set, open_round, ann, ben, cat, dee, facilitator, a1, a2, q1, q2, q3, r1, x1, s1, t0)


@pytest.fixture
def fac_membership(facilitator, action_set):
    return Membership.objects.get(user=facilitator, action_set=action_set)


@pytest.fixture
def flag(question, learner):
    return facilitation_services.flag_reply(member=learner, reply=question, reason="Names my manager")


@pytest.fixture
def default_code():
    from facilitation.models import Code

    return Code.objects.get(scheme__is_default=True, slug="questioning-insight")


@pytest.fixture
def annotation(question, facilitator, default_code):
    return facilitation_services.annotate_reply(facilitator=facilitator, reply=question, code=default_code,
                                                note="Opened it up")


@pytest.fixture
def co_facilitators(action_set):
    """Two more facilitators of the set: the coders of `coding_sample` (so `facilitator` is not one)."""
    return [MembershipFactory(action_set=action_set, role=Membership.Role.FACILITATOR,
                              user__email=f"coder{n}@example.com", user__display_name=f"Coder {n}").user
            for n in (1, 2)]


@pytest.fixture
def coding_sample(action_set, question, facilitator, co_facilitators):
    from facilitation import coding
    from facilitation.models import CodingScheme

    return coding.create_sample(actor=facilitator, action_set=action_set, name="Pilot",
                                scheme=CodingScheme.objects.get(is_default=True), mode="all", coders=co_facilitators)

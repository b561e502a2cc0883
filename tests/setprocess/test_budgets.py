"""Query budgets for the set-process pages: the same exact number at two sizes.

Round page (9): session, user, membership+set, the round (+ who summarised), rounds, check-ins,
report-backs due, airtimes, process reviews.
Continuity (8): session, user, membership+set, the member, rounds, their airtimes, the replies on
them (+ their reflections), their commitments.
Journal (5): session, user, membership+set, my airtimes (for the link field), my entries (with
their airtime and round joined).
Thread, facilitator, ask-before-you-see on (11): the learner's 9 (tests/actionsets/
test_query_budgets.py) + annotations and codes for the facilitator's tools.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actionsets import services
from actionsets.models import Reply
from tests.factories import MembershipFactory, RoundFactory


# Every page's count includes the header's unread notifications (one query, issue 14).
def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.fixture
def grown(action_set, open_round, learner, facilitator, request):
    size = request.param
    people = [MembershipFactory(action_set=action_set).user for _ in range(size)]
    round_2 = RoundFactory(action_set=action_set, number=2, opens_at=open_round.closes_at)
    airtime = services.present_airtime(presenter=learner, action_set=action_set, title="Mine", body="Body")
    late = open_round.closes_at - timedelta(hours=1)
    for n, person in enumerate(people):
        services.check_in(author=person, round=open_round, body=f"Arriving {n}", energy=1 + n % 5)
        services.post_reply(author=person, airtime=airtime, body=f"Question {n}?")
        services.review_process(author=person, round=open_round, what_worked=f"Fine {n}", now=late)
        other = services.present_airtime(presenter=person, action_set=action_set, title=f"T{n}", body="B")
        services.record_commitment(owner=person, airtime=other, text=f"Do {n}")
        services.record_commitment(owner=learner, airtime=airtime, text=f"Mine {n}")
        services.write_entry(author=learner, action_set=action_set, body=f"Entry {n}", airtime=airtime)
    services.summarise_review(actor=facilitator, round=open_round, summary="Summary", now=late)
    del round_2
    return airtime


SIZES = [3, 30]


@pytest.mark.parametrize("grown", SIZES, indirect=True)
def test_round_page_query_count_is_constant(client, grown, learner, action_set):
    client.force_login(learner)
    assert _count(client, reverse("actionsets:round", kwargs={"set_slug": action_set.slug, "number": 1})) == 10


@pytest.mark.parametrize("grown", SIZES, indirect=True)
def test_continuity_query_count_is_constant(client, grown, learner, learner2, action_set):
    client.force_login(learner2)
    url = reverse("actionsets:continuity", kwargs={"set_slug": action_set.slug, "user_id": learner.pk})
    assert _count(client, url) == 9


@pytest.mark.parametrize("grown", SIZES, indirect=True)
def test_journal_query_count_is_constant(client, grown, learner, action_set):
    client.force_login(learner)
    assert _count(client, reverse("actionsets:journal", kwargs={"set_slug": action_set.slug})) == 6


@pytest.mark.parametrize("grown", SIZES, indirect=True)
def test_thread_for_a_facilitator_with_ask_first_is_constant(client, grown, facilitator, action_set):
    action_set.ask_before_seeing = True
    action_set.save()
    client.force_login(facilitator)
    client.get(grown.get_absolute_url())
    assert _count(client, grown.get_absolute_url()) == 14  # + drafts (14), notifications (14), who was knocked (19)
    assert Reply.objects.filter(airtime=grown).count() >= 3


@pytest.fixture
def lifecycle_grown(action_set, facilitator, request):
    from actionsets import services
    from actionsets.models import ActionSet

    ActionSet.objects.filter(pk=action_set.pk).update(state=ActionSet.State.FORMING)
    action_set.refresh_from_db()
    people = [MembershipFactory(action_set=action_set).user for _ in range(request.param)]
    for n, person in enumerate(people):
        services.introduce(author=person, action_set=action_set, body=f"Hello {n}")
        services.propose_ground_rules(author=person, action_set=action_set, text=f"Rules {n}")
    services.adopt_ground_rules(actor=facilitator, version=action_set.rules_versions.last())
    ActionSet.objects.filter(pk=action_set.pk).update(state=ActionSet.State.ENDING)
    action_set.refresh_from_db()
    for person in people:
        services.evaluate_set(author=person, action_set=action_set, usefulness=4, learned="x",
                                        preference="close")
    return people


@pytest.mark.parametrize("lifecycle_grown", SIZES, indirect=True)
def test_life_cycle_pages_query_counts_are_constant(client, lifecycle_grown, facilitator, action_set):
    """Forming (6): session, user, membership+set, introductions, versions, the current version.
    Ending (4): session, user, membership+set, evaluations. Life-cycle (9): session, user,
    membership+set, members, steward rota, rounds, facilitators (process stewards), versions, the
    current version."""
    client.force_login(facilitator)
    slug = {"set_slug": action_set.slug}
    assert _count(client, reverse("actionsets:forming", kwargs=slug)) == 7
    assert _count(client, reverse("actionsets:ending", kwargs=slug)) == 5
    assert _count(client, reverse("actionsets:lifecycle", kwargs=slug)) == 10

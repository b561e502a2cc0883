"""Query counts are part of the contract: the same budget at 3 members/20 replies and at 8 members/
400 replies, with annotations, flags, hidden replies, commitments and nudges at both sizes.

Dashboard (19): session, user, membership+set; rounds; then analytics.dashboard's 12 — members,
airtimes per presenter, replies per author (kinds, words, hidden, advice signals stored at save,
last post), who replies to whom, questions answered per presenter, first reply per airtime,
commitments per owner, nudges, annotations per author×round×code, codes, questions asked and marked
helpful per asker×kind, the helpful marks with their questions — and the open-flag count for the
sub-navigation; + "do the emails help?" (engagement/effects.py: nudges per kind, digests).
CSV export (16): the dashboard's analytics without the open-flag count and the email effects.
Facilitator thread (13): the learner's 10 (tests/actionsets/test_query_budgets.py), who was knocked
(engagement/knocks.py) + the thread's
annotations in one query + the default scheme's codes.
Moderation (7): session, user, membership+set, open flags, hidden replies, locked airtimes, resolved.
Log (8): session, user, membership+set, count, page of actions, and the targets: replies, airtimes,
memberships (one query each for the whole page; Django skips a kind with no ids, so a page can
cost fewer, never more).
Rounds (4): session, user, membership+set, rounds with their counts.
Advice signals (6): session, user, membership+set, rounds, the count for the pager, one page of
the matching replies.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actionsets import services as set_services
from actionsets.models import Membership
from facilitation import services
from facilitation.models import Code
from engagement.models import Nudge
from tests.factories import MembershipFactory, UserFactory

SIZES = [(3, 20), (8, 400)]
BODIES = ["What have you tried so far?", "Have you tried asking HR?", "I realise I do this too.",
          "You should escalate it."]


def _grow(action_set, open_round, facilitator, *, members, replies):
    people = [MembershipFactory(action_set=action_set).user for _ in range(members)]
    airtimes = [set_services.present_airtime(presenter=p, action_set=action_set, title=f"Issue {i}", body="Body text")
                for i, p in enumerate(people)]
    codes = list(Code.objects.filter(scheme__is_default=True))
    parent = None
    for n in range(replies):
        airtime = airtimes[n % len(airtimes)]
        author = people[(n + 1) % len(people)]
        reply = set_services.post_reply(author=author, airtime=airtime, body=BODIES[n % len(BODIES)],
                                        parent=parent if parent and parent.airtime_id == airtime.pk else None)
        parent = reply if n % 3 else None
        if n % 4 == 1:  # the presenter's "this helped me" marks grow with the replies too
            set_services.mark_helpful(presenter=airtime.presenter, reply=reply, why="Made me look again")
        if n % 5 == 0:
            services.annotate_reply(facilitator=facilitator, reply=reply, code=codes[n % len(codes)])
        if n % 7 == 0:
            services.hide_reply(actor=facilitator, reply=reply, reason="Too personal")
        elif n % 11 == 0:
            services.flag_reply(member=people[n % len(people)] if people[n % len(people)] != author else people[0],
                                reply=reply, reason="Rude")
    for person, airtime in zip(people, airtimes):
        set_services.record_commitment(owner=person, airtime=airtime, text="Talk to Sam")
        Nudge.objects.create(user=person, action_set=action_set, kind=Nudge.Kind.QUIET_MEMBER, period="round:1")
    services.lock_airtime(actor=facilitator, airtime=airtimes[0], reason="Cooling off")
    set_services.add_member(action_set=action_set, user=UserFactory(), actor=facilitator)  # a membership target
    return airtimes


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.fixture
def grown(request, action_set, open_round, facilitator, client):
    members, replies = request.param
    airtimes = _grow(action_set, open_round, facilitator, members=members, replies=replies)
    client.force_login(facilitator)
    return airtimes


def facilitate(name, action_set):
    return reverse(f"facilitation:{name}", args=[action_set.slug])


@pytest.mark.parametrize("grown", SIZES, indirect=True, ids=["small", "large"])
@pytest.mark.parametrize(("page", "query", "budget"), [
    # Each page +1 for the header's unread notifications (issue 14); the CSV export has no header.
    ("dashboard", "", 20), ("dashboard", "?round=1", 20), ("export", "", 16), ("export", "?round=1", 16),
    ("signals", "", 7), ("moderation", "", 8), ("log", "", 9), ("rounds", "", 5),
])
def test_facilitator_page_query_count_is_constant(client, action_set, grown, page, query, budget):
    assert _count(client, facilitate(page, action_set) + query) == budget


@pytest.mark.parametrize("grown", SIZES, indirect=True, ids=["small", "large"])
def test_facilitator_thread_query_count_is_constant(client, action_set, grown):
    url = grown[1].get_absolute_url()
    client.get(url)  # first visit writes the read marker
    assert _count(client, url) == 14  # 11, drafts (14), the header's notifications (14), who was knocked (19)


@pytest.mark.parametrize("grown", SIZES, indirect=True, ids=["small", "large"])
def test_learner_thread_budget_is_unchanged_by_the_flag_links(client, action_set, grown):
    learner = Membership.objects.filter(action_set=action_set, role="learner").exclude(
        user_id=grown[1].presenter_id).first().user
    client.force_login(learner)
    url = grown[1].get_absolute_url()
    client.get(url)
    assert _count(client, url) == 11  # +1 drafts, +1 the header's unread notifications

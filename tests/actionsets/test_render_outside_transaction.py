"""Markdown is rendered before a service opens its write transaction, never inside it.

On SQLite the write lock is held from a transaction's first write until it commits: a reply that
rendered inside the posting transaction held it for the whole render, and every other member's
write — sign-in included — failed with "database is locked" meanwhile (issue 11).

These tests run on real transactions (not the per-test wrapping transaction, which would make
every call look "inside") and switch on MARKDOWN_FORBID_IN_TRANSACTION: the real renderer then
raises if it is ever called while a transaction is open. Each service is called for real.
"""

from datetime import timedelta

import pytest
from django.db import transaction

from actionsets import services
from actionsets.markdown import RenderedInsideTransaction, render_markdown
from actionsets.models import ActionSet, Reply

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def forbid_render_in_transaction(settings):
    settings.MARKDOWN_FORBID_IN_TRANSACTION = True


def test_the_check_catches_a_render_inside_a_transaction(forbid_render_in_transaction):
    assert render_markdown("**outside**") == "<p><strong>outside</strong></p>"
    with transaction.atomic(), pytest.raises(RenderedInsideTransaction):
        render_markdown("**inside**")


def test_posting_and_editing_render_before_the_write_transaction(
    forbid_render_in_transaction, action_set, open_round, learner, learner2, facilitator
):
    airtime = services.present_airtime(presenter=learner, action_set=action_set, title="T", body="**Issue**")
    services.edit_airtime(editor=learner, airtime=airtime, title="T", body="**Issue**, edited")
    question = services.post_reply(author=learner2, airtime=airtime, body="What have you *tried*?",
                                   check_advice=True)
    services.edit_reply(editor=learner2, reply=question, body="What have you *tried* so far?")
    services.post_reply(author=learner2, airtime=airtime, body="Why don't you just ask?", advice_confirmed=True)
    assert Reply.objects.filter(has_advice_signal=True).exists()  # advice found before the write too
    services.write_entry(author=learner, action_set=action_set, body="Dear diary")
    entry = services.write_entry(author=learner, action_set=action_set, body="Second")
    services.edit_entry(author=learner, entry=entry, body="Second, *edited*", level=entry.level)
    late = open_round.closes_at - timedelta(hours=1)
    services.check_in(author=learner2, round=open_round, body="Arriving *tired*")
    services.review_process(author=learner2, round=open_round, what_worked="Pace", do_differently="More",
                                    now=late)
    services.summarise_review(actor=facilitator, round=open_round, summary="We **slowed**.", now=late)
    services.set_ground_rules(action_set=action_set, ground_rules="Be **kind**.")  # last: members re-accept
    airtime.refresh_from_db()
    assert airtime.body_html == "<p><strong>Issue</strong>, edited</p>"


def test_report_back_renders_before_the_write_transaction(
    forbid_render_in_transaction, action_set, open_round, learner, learner2
):
    from tests.factories import RoundFactory

    RoundFactory(action_set=action_set, number=2, opens_at=open_round.closes_at)
    airtime = services.present_airtime(presenter=learner, action_set=action_set, title="T", body="Body")
    commitment = services.record_commitment(owner=learner, airtime=airtime, text="Ask Sam")
    done = services.report_back(owner=learner, commitment=commitment, status="done", what_happened="I *asked*.")
    assert "<em>asked</em>" in done.report_back_html


def test_introductions_and_proposed_rules_render_before_the_write_transaction(
    forbid_render_in_transaction, action_set, learner
):
    ActionSet.objects.filter(pk=action_set.pk).update(state=ActionSet.State.FORMING)
    action_set.refresh_from_db()
    intro = services.introduce(author=learner, action_set=action_set, body="I *bring* tea")
    version = services.propose_ground_rules(author=learner, action_set=action_set, text="**Listen**")
    assert "<em>bring</em>" in intro.body_html and "<strong>Listen</strong>" in version.text_html

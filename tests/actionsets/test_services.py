"""The set-process services: every write the app makes, with its rules."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from actionsets import services
from actionsets.models import (
    MAX_REPLY_DEPTH,
    ActionCommitment,
    Airtime,
    Membership,
    ReadMarker,
    Reply,
    Revision,
    Round,
)
from actionsets.models import ModerationAction

from ..factories import MembershipFactory, RoundFactory

pytestmark = pytest.mark.django_db

BODY = "My team keeps missing the internal grant deadline, and I think I'm part of the pattern."


def _messages(excinfo) -> str:
    return " ".join(excinfo.value.messages)


@pytest.fixture
def airtime(action_set, open_round, learner):
    return services.present_airtime(
        presenter=learner, action_set=action_set, title="My team keeps missing the grant deadline", body=BODY
    )


@pytest.fixture
def question(airtime, learner2):
    return services.post_reply(author=learner2, airtime=airtime, body="What happens in the three weeks before?")


# --- present_airtime ----------------------------------------------------------------------


def test_presenting_creates_an_airtime_in_the_open_round_with_sanitised_html(action_set, open_round, learner):
    airtime = services.present_airtime(
        presenter=learner, action_set=action_set, title="  Feedback upwards  ", body="**Help** <script>x</script>"
    )
    assert airtime.round == open_round and airtime.title == "Feedback upwards"
    assert "<strong>Help</strong>" in airtime.body_html and "<script>" not in airtime.body_html
    assert airtime.reply_count == 0 and airtime.last_activity_at == airtime.created_at
    assert ReadMarker.objects.get(user=learner, airtime=airtime).last_read_at == airtime.created_at


def test_a_member_presents_only_once_per_round(airtime, action_set, learner):
    with pytest.raises(ValidationError) as excinfo:
        services.present_airtime(presenter=learner, action_set=action_set, title="Again", body="A second go.")
    assert "one airtime per round" in _messages(excinfo)
    assert Airtime.objects.filter(presenter=learner).count() == 1


def test_presenting_in_the_next_round_is_allowed(airtime, action_set, open_round, learner):
    next_round = services.schedule_round(action_set=action_set, opens_at=open_round.closes_at)
    later = services.present_airtime(
        presenter=learner, action_set=action_set, title="Round two", body="Report-back and a new problem.",
        now=next_round.opens_at + timedelta(hours=2),
    )
    assert later.round == next_round


def test_presenting_needs_an_open_round(action_set, learner):
    with pytest.raises(ValidationError) as excinfo:
        services.present_airtime(presenter=learner, action_set=action_set, title="Too early", body=BODY)
    assert "No round is open" in _messages(excinfo)
    RoundFactory(action_set=action_set, opens_at=timezone.now() + timedelta(days=3))
    with pytest.raises(ValidationError):
        services.present_airtime(presenter=learner, action_set=action_set, title="Still too early", body=BODY)
    assert not Airtime.objects.exists()


def test_presenting_after_the_round_closed_is_refused(action_set, open_round, learner):
    with pytest.raises(ValidationError):
        services.present_airtime(
            presenter=learner, action_set=action_set, title="Late", body=BODY, now=open_round.closes_at
        )


def test_presenting_needs_the_ground_rules_accepted(action_set, open_round):
    newcomer = MembershipFactory(action_set=action_set, ground_rules_accepted_at=None).user
    with pytest.raises(ValidationError) as excinfo:
        services.present_airtime(presenter=newcomer, action_set=action_set, title="Hello", body=BODY)
    assert "ground rules" in _messages(excinfo)
    assert not Airtime.objects.exists()


def test_an_empty_body_is_refused_with_a_message_on_body(action_set, open_round, learner):
    with pytest.raises(ValidationError) as excinfo:
        services.present_airtime(presenter=learner, action_set=action_set, title="Title", body="  \n\t ")
    assert "body" in excinfo.value.message_dict
    assert not Airtime.objects.exists()


def test_an_empty_title_is_refused_with_a_message_on_title(action_set, open_round, learner):
    with pytest.raises(ValidationError) as excinfo:
        services.present_airtime(presenter=learner, action_set=action_set, title="   ", body=BODY)
    assert "title" in excinfo.value.message_dict


def test_a_body_over_50000_characters_is_refused_with_a_clear_message_and_nothing_is_saved(
    action_set, open_round, learner
):
    assert settings.POST_MAX_CHARS == 50_000
    with pytest.raises(ValidationError) as excinfo:
        services.present_airtime(presenter=learner, action_set=action_set, title="Long", body="x" * 50_001)
    message = " ".join(excinfo.value.message_dict["body"])
    assert "50,001" in message and "50,000" in message and "Nothing was saved" in message
    assert not Airtime.objects.exists() and not ReadMarker.objects.exists()


def test_a_body_of_exactly_50000_characters_is_accepted(action_set, open_round, learner):
    airtime = services.present_airtime(presenter=learner, action_set=action_set, title="Long", body="x" * 50_000)
    assert len(airtime.body) == 50_000


def test_an_archived_set_takes_no_airtime(action_set, open_round, learner):
    action_set.archived = True
    action_set.save()
    with pytest.raises(ValidationError) as excinfo:
        services.present_airtime(presenter=learner, action_set=action_set, title="Hello", body=BODY)
    assert "archived" in _messages(excinfo)
    assert not Airtime.objects.exists()


def test_an_outsider_cannot_present_in_a_set(action_set, open_round, outsider):
    with pytest.raises(ValidationError):
        services.present_airtime(presenter=outsider, action_set=action_set, title="Hello", body=BODY)


def test_a_former_member_cannot_present(action_set, open_round, removed_member):
    with pytest.raises(ValidationError):
        services.present_airtime(presenter=removed_member, action_set=action_set, title="Hello", body=BODY)


# --- post_reply: kinds ----------------------------------------------------------------------


def test_a_members_reply_is_a_clarifying_question_by_default_in_the_clarifying_phase(question):
    assert question.kind == Reply.Kind.CLARIFYING
    assert question.parent is None and question.depth == 0


def test_a_member_may_post_a_reflect_back(airtime, learner2):
    reply = services.post_reply(author=learner2, airtime=airtime, body="I understood you to mean… right?",
                                kind="reflect_back")
    assert reply.kind == Reply.Kind.REFLECT_BACK


def test_the_legacy_question_kind_posts_as_the_phase_question(airtime, learner2):
    assert services.post_reply(author=learner2, airtime=airtime, body="Who?", kind="question").kind == "clarifying"


@pytest.mark.parametrize("kind", ["response", "summary", "advice"])
def test_a_member_cannot_post_other_kinds(airtime, learner2, kind):
    with pytest.raises(ValidationError) as excinfo:
        services.post_reply(author=learner2, airtime=airtime, body="Text", kind=kind)
    assert "kind" in excinfo.value.message_dict
    assert not Reply.objects.exists()


def test_the_presenters_replies_are_responses(airtime, question, learner):
    reply = services.post_reply(author=learner, airtime=airtime, body="Waiting, mostly.", parent=question)
    assert reply.kind == Reply.Kind.RESPONSE


@pytest.mark.parametrize("kind", ["question", "reflection"])
def test_the_presenter_cannot_ask_questions_on_their_own_airtime(airtime, learner, kind):
    with pytest.raises(ValidationError) as excinfo:
        services.post_reply(author=learner, airtime=airtime, body="Text", kind=kind)
    assert "kind" in excinfo.value.message_dict


def test_a_facilitator_may_post_a_process_note_also_by_its_old_name_summary(airtime, facilitator):
    reply = services.post_reply(author=facilitator, airtime=airtime, body="A pattern: one deadline.", kind="summary")
    assert reply.kind == Reply.Kind.PROCESS_NOTE


def test_a_facilitator_may_also_ask_questions(airtime, facilitator):
    assert services.post_reply(author=facilitator, airtime=airtime, body="What would change?").kind == "clarifying"


def test_a_closed_round_refuses_questions_but_takes_a_facilitator_summary(airtime, open_round, learner2, facilitator):
    after_close = open_round.closes_at + timedelta(hours=1)
    with pytest.raises(ValidationError) as excinfo:
        services.post_reply(author=learner2, airtime=airtime, body="One more?", now=after_close)
    assert "closed" in _messages(excinfo)
    with pytest.raises(ValidationError):
        services.post_reply(author=facilitator, airtime=airtime, body="One more?", kind="question", now=after_close)
    summary = services.post_reply(author=facilitator, airtime=airtime, body="Closing summary.", now=after_close)
    assert summary.kind == Reply.Kind.PROCESS_NOTE
    assert Reply.objects.count() == 1


def test_a_locked_airtime_refuses_replies_but_takes_a_facilitator_summary(airtime, learner, learner2, facilitator):
    Airtime.objects.filter(pk=airtime.pk).update(locked=True)
    for author in (learner2, learner):
        with pytest.raises(ValidationError) as excinfo:
            services.post_reply(author=author, airtime=airtime, body="Hello?")
        assert "locked" in _messages(excinfo)
    assert services.post_reply(author=facilitator, airtime=airtime, body="Locked: see ground rules.").kind == "process_note"
    assert Reply.objects.count() == 1


def test_a_member_who_has_not_accepted_the_rules_cannot_reply(airtime, action_set):
    newcomer = MembershipFactory(action_set=action_set, ground_rules_accepted_at=None).user
    with pytest.raises(ValidationError):
        services.post_reply(author=newcomer, airtime=airtime, body="Hello")


def test_an_outsider_cannot_reply(airtime, outsider):
    with pytest.raises(ValidationError):
        services.post_reply(author=outsider, airtime=airtime, body="Hello")
    assert not Reply.objects.exists()


def test_an_empty_or_oversized_reply_is_refused_and_nothing_changes(airtime, learner2):
    for body in ("   ", "y" * 50_001):
        with pytest.raises(ValidationError) as excinfo:
            services.post_reply(author=learner2, airtime=airtime, body=body)
        assert "body" in excinfo.value.message_dict
    airtime.refresh_from_db()
    assert airtime.reply_count == 0 and not Reply.objects.exists()


# --- post_reply: threading ------------------------------------------------------------------


def test_a_parent_from_another_thread_is_refused_on_parent(airtime, question, action_set, learner2):
    other = services.present_airtime(presenter=learner2, action_set=action_set, title="Mine", body=BODY)
    with pytest.raises(ValidationError) as excinfo:
        services.post_reply(author=learner2, airtime=other, body="Answering", parent=question)
    assert "parent" in excinfo.value.message_dict
    assert not Reply.objects.filter(airtime=other).exists()


def test_replies_ordered_by_path_come_out_depth_first_in_creation_order(
    airtime, learner, learner2, facilitator, django_assert_num_queries
):
    def post(author, body, parent=None):
        return services.post_reply(author=author, airtime=airtime, body=body, parent=parent)

    q1 = post(learner2, "q1")
    q2 = post(facilitator, "q2")
    r1 = post(learner, "r1", q1)
    r2 = post(learner, "r2", q2)
    f1 = post(learner2, "f1", r1)
    q3 = post(learner2, "q3")
    r1b = post(learner, "r1b", q1)

    with django_assert_num_queries(1):
        thread = list(Reply.objects.filter(airtime=airtime).order_by("path"))
    assert [r.body for r in thread] == ["q1", "r1", "f1", "r1b", "q2", "r2", "q3"]
    assert [r.depth for r in thread] == [0, 1, 2, 1, 0, 1, 0]
    assert (r1.parent, f1.parent, r1b.parent, r2.parent, q3.parent) == (q1, r1, q1, q2, None)
    assert q2.depth == 0


def test_a_reply_beyond_max_depth_attaches_at_the_deepest_level_and_keeps_in_reply_to(airtime, learner, learner2):
    parent = None
    chain = []
    for i in range(MAX_REPLY_DEPTH + 1):
        author = learner2 if i % 2 == 0 else learner
        parent = services.post_reply(author=author, airtime=airtime, body=f"level {i}", parent=parent)
        chain.append(parent)
    deepest = chain[-1]
    assert deepest.depth == MAX_REPLY_DEPTH

    author = learner2 if deepest.author_id == learner.pk else learner
    beyond = services.post_reply(author=author, airtime=airtime, body="one deeper", parent=deepest)
    assert beyond.depth == MAX_REPLY_DEPTH
    assert beyond.parent == deepest.parent
    assert beyond.in_reply_to == deepest
    ordered = list(Reply.objects.filter(airtime=airtime).order_by("path").values_list("body", flat=True))
    assert ordered[-1] == "one deeper"  # shown after the reply it answers
    assert chain[0].in_reply_to is None and chain[1].in_reply_to == chain[0]


def test_posting_a_reply_updates_reply_count_and_last_activity_at(airtime, learner, learner2):
    first_at = airtime.created_at + timedelta(hours=3)
    question = services.post_reply(author=learner2, airtime=airtime, body="Why now?", now=first_at)
    services.post_reply(
        author=learner, airtime=airtime, body="Because.", parent=question, now=first_at + timedelta(hours=5)
    )
    airtime.refresh_from_db()
    assert airtime.reply_count == 2 == Reply.objects.filter(airtime=airtime).count()
    assert airtime.last_activity_at == first_at + timedelta(hours=5)


def test_posting_a_reply_moves_the_authors_read_marker(airtime, learner, learner2):
    at = airtime.created_at + timedelta(hours=2)
    assert not ReadMarker.objects.filter(user=learner2, airtime=airtime).exists()
    question = services.post_reply(author=learner2, airtime=airtime, body="Why?", now=at)
    assert ReadMarker.objects.get(user=learner2, airtime=airtime).last_read_at == at
    later = at + timedelta(hours=4)
    services.post_reply(author=learner, airtime=airtime, body="Because.", parent=question, now=later)
    assert ReadMarker.objects.get(user=learner, airtime=airtime).last_read_at == later
    assert ReadMarker.objects.get(user=learner2, airtime=airtime).last_read_at == at  # others' markers untouched


# --- edits and revisions ----------------------------------------------------------------


def test_editing_a_reply_keeps_a_revision_with_the_old_body_editor_and_reason(question, learner2):
    at = timezone.now() + timedelta(minutes=5)
    services.edit_reply(editor=learner2, reply=question, body="What *happens* in those weeks?", reason="typo", now=at)
    question.refresh_from_db()
    assert question.body == "What *happens* in those weeks?" and "<em>happens</em>" in question.body_html
    assert question.edited_at == at
    revision = Revision.objects.get(reply=question)
    assert (revision.body, revision.edited_by, revision.reason, revision.edited_at) == (
        "What happens in the three weeks before?", learner2, "typo", at
    )
    assert revision.airtime is None
    assert not ModerationAction.objects.exists()  # editing your own post is not moderation


def test_editing_an_airtime_keeps_a_revision_with_the_old_title_and_body(airtime, learner):
    at = timezone.now() + timedelta(minutes=5)
    services.edit_airtime(editor=learner, airtime=airtime, title="New title", body="New body", reason="clearer", now=at)
    airtime.refresh_from_db()
    assert (airtime.title, airtime.body, airtime.edited_at) == ("New title", "New body", at)
    revision = Revision.objects.get(airtime=airtime)
    assert (revision.title, revision.body, revision.edited_by, revision.reason) == (
        "My team keeps missing the grant deadline", BODY, learner, "clearer"
    )
    assert not ModerationAction.objects.exists()


def test_an_edit_that_changes_nothing_keeps_no_revision(airtime, question, learner, learner2):
    services.edit_reply(editor=learner2, reply=question, body=question.body)
    services.edit_airtime(editor=learner, airtime=airtime, title=airtime.title, body=airtime.body)
    assert not Revision.objects.exists()
    question.refresh_from_db()
    assert question.edited_at is None


def test_every_edit_keeps_its_own_revision(question, learner2):
    for body in ("second", "third"):
        services.edit_reply(editor=learner2, reply=question, body=body)
    assert list(Revision.objects.filter(reply=question).order_by("edited_at").values_list("body", flat=True)) == [
        "What happens in the three weeks before?", "second"
    ]


def test_an_edit_to_an_empty_body_is_refused_and_keeps_the_post(question, learner2):
    with pytest.raises(ValidationError):
        services.edit_reply(editor=learner2, reply=question, body="  ")
    question.refresh_from_db()
    assert question.body == "What happens in the three weeks before?" and not Revision.objects.exists()


def test_a_facilitator_cannot_edit_someone_elses_reply(question, facilitator):
    # Facilitators hide instead of editing (docs/facilitation.md): the service refuses, whatever the reason.
    with pytest.raises(ValidationError, match="Only the author"):
        services.edit_reply(editor=facilitator, reply=question, body="[name removed]", reason="Named a colleague")
    question.refresh_from_db()
    assert question.body == "What happens in the three weeks before?"
    assert not Revision.objects.exists() and not ModerationAction.objects.exists()


def test_a_facilitator_cannot_edit_someone_elses_airtime(airtime, facilitator):
    with pytest.raises(ValidationError, match="Only the author"):
        services.edit_airtime(
            editor=facilitator, airtime=airtime, title=airtime.title, body="[details removed]", reason="Identifiable"
        )
    airtime.refresh_from_db()
    assert airtime.body == BODY
    assert not Revision.objects.exists() and not ModerationAction.objects.exists()


# --- mark_read ----------------------------------------------------------------------------


def test_mark_read_creates_the_marker_on_a_first_visit(airtime, learner2):
    at = airtime.created_at + timedelta(hours=1)
    services.mark_read(user=learner2, airtime=airtime, at=at)
    assert ReadMarker.objects.get(user=learner2, airtime=airtime).last_read_at == at


def test_mark_read_moves_the_marker_forward(airtime, learner):
    later = airtime.created_at + timedelta(days=1)
    services.mark_read(user=learner, airtime=airtime, at=later)
    assert ReadMarker.objects.get(user=learner, airtime=airtime).last_read_at == later


def test_mark_read_never_moves_backwards(airtime, learner):
    services.mark_read(user=learner, airtime=airtime, at=airtime.created_at - timedelta(days=1))
    assert ReadMarker.objects.get(user=learner, airtime=airtime).last_read_at == airtime.created_at
    assert ReadMarker.objects.filter(user=learner).count() == 1


def test_mark_read_leaves_a_current_marker_as_it_is(airtime, learner, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        services.mark_read(user=learner, airtime=airtime, at=airtime.created_at)
    assert ReadMarker.objects.get(user=learner, airtime=airtime).last_read_at == airtime.created_at


def test_mark_read_does_not_write_when_unchanged(airtime, learner, django_assert_num_queries):
    # One read each: the marker is already at (or past) `at`, so there is nothing to write.
    with django_assert_num_queries(2) as captured:
        services.mark_read(user=learner, airtime=airtime, at=airtime.created_at)
        services.mark_read(user=learner, airtime=airtime, at=airtime.created_at - timedelta(hours=1))
    statements = [q["sql"].lstrip().split()[0].upper() for q in captured.captured_queries]
    assert "UPDATE" not in statements and "INSERT" not in statements


# --- commitments and report-backs -------------------------------------------------------


@pytest.fixture
def next_round(action_set, open_round):
    return services.schedule_round(action_set=action_set, opens_at=open_round.closes_at + timedelta(days=14))


def test_a_commitment_is_due_in_the_next_round(airtime, learner, next_round):
    commitment = services.record_commitment(owner=learner, airtime=airtime, text="  Tell the team this week.  ")
    assert commitment.text == "Tell the team this week."
    assert (commitment.owner, commitment.due_round, commitment.status) == (learner, next_round, "open")


def test_a_commitment_has_no_due_round_when_none_is_scheduled_yet(airtime, learner):
    assert services.record_commitment(owner=learner, airtime=airtime, text="Book a check-in.").due_round is None


def test_a_commitment_is_due_in_the_next_round_of_its_own_set(airtime, learner, other_set, open_round):
    services.schedule_round(action_set=other_set, opens_at=open_round.closes_at + timedelta(days=1))
    assert services.record_commitment(owner=learner, airtime=airtime, text="Book a check-in.").due_round is None


def test_only_the_presenter_records_commitments(airtime, learner2, facilitator):
    for someone_else in (learner2, facilitator):
        with pytest.raises(ValidationError) as excinfo:
            services.record_commitment(owner=someone_else, airtime=airtime, text="Do the thing.")
        assert "presenter" in _messages(excinfo)
    assert not ActionCommitment.objects.exists()


@pytest.mark.parametrize("text", ["", "   ", "x" * 501])
def test_a_commitment_must_be_one_concrete_action(airtime, learner, text):
    with pytest.raises(ValidationError) as excinfo:
        services.record_commitment(owner=learner, airtime=airtime, text=text)
    assert "text" in excinfo.value.message_dict


@pytest.fixture
def commitment(airtime, learner, next_round):
    return services.record_commitment(owner=learner, airtime=airtime, text="Tell the team about the warning.")


@pytest.mark.parametrize("status", ["done", "changed", "dropped"])
def test_the_owner_reports_back_with_a_status(commitment, learner, status):
    at = timezone.now() + timedelta(days=20)
    services.report_back(
        owner=learner, commitment=commitment, status=status, report_back="It went *better* than feared.", now=at
    )
    commitment.refresh_from_db()
    assert (commitment.status, commitment.reported_at) == (status, at)
    assert commitment.report_back == "It went *better* than feared."
    assert "<em>better</em>" in commitment.report_back_html


@pytest.mark.parametrize("status", ["open", "half", ""])
def test_a_report_back_needs_done_partly_or_not(commitment, learner, status):
    with pytest.raises(ValidationError) as excinfo:
        services.report_back(owner=learner, commitment=commitment, status=status, report_back="Text")
    assert "status" in excinfo.value.message_dict
    commitment.refresh_from_db()
    assert commitment.status == "open" and commitment.reported_at is None


def test_a_report_back_needs_some_text(commitment, learner):
    with pytest.raises(ValidationError) as excinfo:
        services.report_back(owner=learner, commitment=commitment, status="done", report_back="  ")
    assert "report_back" in excinfo.value.message_dict


def test_only_the_owner_reports_back(commitment, learner2, facilitator):
    for someone_else in (learner2, facilitator):
        with pytest.raises(ValidationError):
            services.report_back(owner=someone_else, commitment=commitment, status="done", report_back="Done.")
    commitment.refresh_from_db()
    assert commitment.status == "open"


# --- rounds -------------------------------------------------------------------------------


def test_rounds_are_numbered_in_order_and_last_fourteen_days_by_default(action_set, facilitator):
    start = timezone.now()
    first = services.schedule_round(action_set=action_set, opens_at=start)
    second = services.schedule_round(action_set=action_set, opens_at=first.closes_at)  # touching is not overlapping
    third = services.schedule_round(action_set=action_set, opens_at=start + timedelta(days=40), actor=facilitator)
    assert [first.number, second.number, third.number] == [1, 2, 3]
    assert first.closes_at - first.opens_at == timedelta(days=Round.DEFAULT_LENGTH_DAYS)
    action = ModerationAction.objects.get()
    assert (action.action, action.target_id, action.actor) == (
        ModerationAction.Action.SCHEDULE_ROUND, third.pk, facilitator
    )


@pytest.mark.parametrize(
    "opens, closes",
    [(-3, 5), (5, 20), (2, 8), (-5, 30), (0, 14)],
    ids=["overlaps-start", "overlaps-end", "inside", "around", "same"],
)
def test_an_overlapping_round_is_refused(action_set, opens, closes):
    start = timezone.now()
    services.schedule_round(action_set=action_set, opens_at=start, closes_at=start + timedelta(days=14))
    with pytest.raises(ValidationError) as excinfo:
        services.schedule_round(
            action_set=action_set, opens_at=start + timedelta(days=opens), closes_at=start + timedelta(days=closes)
        )
    assert "overlaps" in _messages(excinfo)
    assert Round.objects.filter(action_set=action_set).count() == 1


def test_rounds_of_another_set_do_not_overlap_this_one(action_set, other_set):
    start = timezone.now()
    services.schedule_round(action_set=other_set, opens_at=start)
    assert services.schedule_round(action_set=action_set, opens_at=start).number == 1


def test_a_round_must_close_after_it_opens(action_set):
    start = timezone.now()
    for closes in (start, start - timedelta(days=1)):
        with pytest.raises(ValidationError) as excinfo:
            services.schedule_round(action_set=action_set, opens_at=start, closes_at=closes)
        assert "closes_at" in excinfo.value.message_dict
    assert not Round.objects.exists()


# --- members and ground rules -------------------------------------------------------------


def test_removing_a_member_is_soft_and_their_posts_stay(airtime, question, action_set, learner2, facilitator):
    membership = Membership.objects.get(user=learner2, action_set=action_set)
    at = timezone.now() + timedelta(minutes=1)
    services.remove_member(membership=membership, actor=facilitator, reason="Left the university", now=at)
    membership.refresh_from_db()
    assert membership.left_at == at and not membership.is_current
    assert Reply.objects.filter(pk=question.pk, author=learner2).exists()
    airtime.refresh_from_db()
    assert airtime.reply_count == 1
    action = ModerationAction.objects.get()
    assert (action.action, action.target_id, action.reason) == (
        ModerationAction.Action.REMOVE_MEMBER, membership.pk, "Left the university"
    )
    with pytest.raises(ValidationError):
        services.post_reply(author=learner2, airtime=airtime, body="Still here?")


def test_removing_a_member_twice_keeps_the_first_left_at(action_set, learner2, facilitator):
    membership = Membership.objects.get(user=learner2, action_set=action_set)
    first = timezone.now()
    services.remove_member(membership=membership, actor=facilitator, now=first)
    services.remove_member(membership=membership, actor=facilitator, now=first + timedelta(days=1))
    membership.refresh_from_db()
    assert membership.left_at == first
    assert ModerationAction.objects.count() == 1


def test_a_removed_member_can_be_added_back_as_a_new_membership(action_set, learner2):
    old = Membership.objects.get(user=learner2, action_set=action_set)
    services.remove_member(membership=old)
    new = services.add_member(action_set=action_set, user=learner2)
    assert new.pk != old.pk and new.is_current and not new.has_accepted_rules
    assert services.add_member(action_set=action_set, user=learner2).pk == new.pk  # idempotent


def test_accepting_the_ground_rules_keeps_the_first_acceptance(action_set):
    membership = MembershipFactory(action_set=action_set, ground_rules_accepted_at=None)
    first = timezone.now() - timedelta(days=2)
    services.accept_ground_rules(membership=membership, now=first)
    services.accept_ground_rules(membership=membership, now=timezone.now())
    membership.refresh_from_db()
    assert membership.ground_rules_accepted_at == first


def test_ground_rules_are_stored_with_sanitised_html(action_set):
    services.set_ground_rules(action_set=action_set, ground_rules="## Confidentiality\n\n[x](javascript:alert(1))")
    action_set.refresh_from_db()
    assert "<h2>Confidentiality</h2>" in action_set.ground_rules_html
    assert "javascript" not in action_set.ground_rules_html


def test_post_reply_refuses_an_access_that_is_not_the_authors(action_set, open_round, airtime, learner, learner2):
    """A view hands its access to the service (issue 12, part 6); someone else's is a bug, not a post."""
    from actionsets.permissions import get_set_or_404

    with pytest.raises(ValueError):
        services.post_reply(author=learner2, airtime=airtime, body="What have you tried?",
                            access=get_set_or_404(learner, action_set.slug))
    assert not airtime.replies.exists()

"""The researcher role (issue 17, docs/research.md): granted and revoked by the set's facilitator,
in the open; reads the set as a facilitator does and writes nothing but their own blind codes."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from actionsets import services as set_services
from actionsets.models import Membership, ModerationAction, Reply
from facilitation import coding
from facilitation import researchers as researcher_services
from facilitation.models import AgreedCode, BlindCode, CodingScheme
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def guest(db):
    return UserFactory(email="guest.researcher@example.org", display_name="Dr Rowe")


def _grant(client, action_set, email):
    return client.post(reverse("facilitation:researchers", args=[action_set.slug]), {"email": email})


def test_a_facilitator_grants_the_role_dated_logged_muted_and_noticed_by_one_email(
        client, action_set, facilitator, guest, django_capture_on_commit_callbacks):
    from engagement.models import OutboundEmail

    client.force_login(facilitator)
    with django_capture_on_commit_callbacks(execute=False):
        response = _grant(client, action_set, "Guest.Researcher@example.org")
    assert response.status_code == 302
    membership = Membership.objects.current().get(user=guest, action_set=action_set)
    assert membership.is_researcher and membership.researching_since == membership.joined_at
    assert membership.notification_level == Membership.NotificationLevel.MUTED
    assert membership.handle  # like every member: named on the set page
    log = ModerationAction.objects.get(action=ModerationAction.Action.GRANT_RESEARCHER)
    assert (log.actor, log.target_id, log.action_set) == (facilitator, membership.pk, action_set)
    [email] = OutboundEmail.objects.filter(user=guest)
    assert email.category == "researcher" and "researcher" in email.subject and action_set.name in email.body_text
    page = client.get(reverse("facilitation:researchers", args=[action_set.slug])).content.decode()
    assert "Dr Rowe" in page


@pytest.mark.parametrize("who, error", [
    ("self", "Nobody grants the researcher role to themselves."),
    ("learner", "is a member of this set"),
    ("researcher", "already researches this set"),
    ("nobody", "No ActionSets account has this address"),
])
def test_refused_grants_say_why_and_change_nothing(request, client, action_set, facilitator, researcher, learner,
                                                   who, error):
    email = {"self": facilitator.email, "learner": learner.email, "researcher": researcher.email,
             "nobody": "nobody@example.org"}[who]
    client.force_login(facilitator)
    before = Membership.objects.count()
    response = _grant(client, action_set, email)
    assert response.status_code == 400 and error in response.content.decode()
    assert Membership.objects.count() == before
    assert not ModerationAction.objects.filter(action=ModerationAction.Action.GRANT_RESEARCHER).exists()


def test_staff_never_grant_it_to_themselves_by_any_path(client, action_set, staff):
    """Staff who facilitate a set still cannot make themselves its researcher; /manage/ and the
    admin offer learner and facilitator only."""
    MembershipFactory(action_set=action_set, user=staff, role=Membership.Role.FACILITATOR)
    with pytest.raises(ValidationError, match="themselves"):
        researcher_services.grant_researcher(actor=staff, action_set=action_set, email=staff.email)
    from actionsets.admin import MembershipAdminForm
    from enrolment.forms import PersonForm

    form = PersonForm({"email": staff.email, "set_name": action_set.name, "role": "researcher"}, sets=[action_set])
    assert not form.is_valid() and "role" in form.errors
    other = UserFactory(email="other@example.org")
    from django.forms import modelform_factory

    form_class = modelform_factory(Membership, form=MembershipAdminForm,
                                   fields=["user", "action_set", "role", "joined_at", "notification_level"])
    admin_form = form_class({"user": other.pk, "action_set": action_set.pk, "role": "researcher",
                             "joined_at": "2026-01-01 10:00", "notification_level": "normal"})
    assert not admin_form.is_valid() and "role" in admin_form.errors


def test_learners_and_researchers_cannot_grant(client, action_set, learner, researcher, guest):
    for user in (learner, researcher):
        client.force_login(user)
        assert _grant(client, action_set, guest.email).status_code == 404
        assert client.get(reverse("facilitation:researchers", args=[action_set.slug])).status_code == 404
    assert not Membership.objects.filter(user=guest).exists()


def test_revoking_ends_access_at_once_and_is_logged(client, action_set, facilitator, researcher, airtime):
    membership = Membership.objects.get(user=researcher, action_set=action_set)
    client.force_login(researcher)
    assert client.get(airtime.get_absolute_url()).status_code == 200
    client.force_login(facilitator)
    url = reverse("facilitation:researcher_revoke", args=[action_set.slug, membership.pk])
    assert client.post(url).status_code == 302
    assert ModerationAction.objects.filter(action=ModerationAction.Action.REVOKE_RESEARCHER,
                                           target_id=membership.pk).count() == 1
    assert client.post(url).status_code == 404  # no longer a researcher here
    client.force_login(researcher)
    assert client.get(airtime.get_absolute_url()).status_code == 404
    assert client.get(action_set.get_absolute_url()).status_code == 404


def test_only_a_researcher_membership_can_be_revoked_here(client, action_set, facilitator, learner):
    client.force_login(facilitator)
    membership = Membership.objects.get(user=learner, action_set=action_set)
    url = reverse("facilitation:researcher_revoke", args=[action_set.slug, membership.pk])
    assert client.post(url).status_code == 404
    assert Membership.objects.current().filter(pk=membership.pk).exists()


# --- What a researcher reads, and what they cannot do ------------------------------------------


def test_members_see_the_researcher_labelled_on_the_set_page_and_the_thread(client, action_set, learner, researcher,
                                                                           airtime):
    researcher.display_name = "Dr Rowe"
    researcher.save()
    client.force_login(learner)
    page = client.get(action_set.get_absolute_url()).content.decode()
    assert "badge--researcher" in page and "Dr Rowe joined as researcher on" in page
    thread = client.get(airtime.get_absolute_url()).content.decode()
    assert "as researchers" in thread and "Dr Rowe" in thread


def test_a_researcher_reads_withheld_questions_but_never_hidden_text(client, action_set, airtime, learner2,
                                                                    facilitator, researcher):
    from facilitation import services as facilitation_services

    action_set.ask_before_seeing = True
    action_set.save(update_fields=["ask_before_seeing"])
    set_services.post_reply(author=learner2, airtime=airtime, body="WITHHELD question about the rota?")
    hidden = set_services.post_reply(author=learner2, airtime=airtime, body="HIDDEN remark about Sam?")
    facilitation_services.hide_reply(actor=facilitator, reply=hidden, reason="Names a colleague.")
    client.force_login(researcher)
    page = client.get(airtime.get_absolute_url()).content.decode()
    assert "WITHHELD question" in page
    assert "HIDDEN remark" not in page
    assert 'class="reply-form' not in page  # nothing to post with


def test_a_researcher_posts_nothing_by_any_path(client, action_set, airtime, researcher):
    client.force_login(researcher)
    response = client.post(reverse("actionsets:reply", args=[action_set.slug, airtime.pk]),
                           {"body": "A question from the researcher?", "kind": "question"})
    assert response.status_code == 403
    with pytest.raises(ValidationError, match="Researchers read this set"):
        set_services.post_reply(author=researcher, airtime=airtime, body="Through the service?")
    with pytest.raises(ValidationError, match="Researchers read this set"):
        set_services.present_airtime(presenter=researcher, action_set=action_set, title="Mine", body="x")
    assert not Reply.objects.filter(author=researcher).exists()
    with pytest.raises(ValidationError):
        set_services.set_notification_level(membership=Membership.objects.get(user=researcher),
                                             level=Membership.NotificationLevel.WATCHING)


def test_a_researcher_reads_the_dashboard_and_is_not_counted_there(client, action_set, airtime, facilitator,
                                                                   researcher, learner):
    from facilitation import analytics
    from actionsets.selectors import rounds_of
    from django.utils import timezone

    board = analytics.dashboard(action_set, rounds=rounds_of(action_set), scope=None, now=timezone.now())
    assert researcher.pk not in {m.membership.user_id for m in board.members}
    assert learner.pk in {m.membership.user_id for m in board.members}
    client.force_login(researcher)
    response = client.get(reverse("facilitation:dashboard", args=[action_set.slug]))
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("facilitation:moderation", args=[action_set.slug]) not in page  # the nav shows what they read


def test_a_researcher_codes_a_sample_blind_and_cannot_record_the_agreed_code(client, action_set, question, facilitator,
                                                                           researcher):
    scheme = CodingScheme.objects.get(is_default=True)
    sample = coding.create_sample(actor=facilitator, action_set=action_set, name="With a co-researcher", scheme=scheme,
                                  mode="all", coders=[facilitator, researcher])
    code = scheme.codes.first()
    coding.code_blind(coder=facilitator, sample=sample, codes={question.pk: code})
    client.force_login(researcher)
    agreement = reverse("facilitation:coding_agreement", args=[action_set.slug, sample.pk])
    assert "blind" in client.get(agreement).content.decode().lower()
    page = reverse("facilitation:coding_sample", args=[action_set.slug, sample.pk])
    assert client.post(page, {f"code-{question.pk}": code.pk}).status_code == 302
    assert BlindCode.objects.get(coder=researcher).code == code
    assert client.get(agreement).status_code == 200
    agreed = reverse("facilitation:coding_agreed", args=[action_set.slug, sample.pk])
    assert client.post(agreed, {"reply": question.pk, "code": code.pk}).status_code == 404
    assert not AgreedCode.objects.exists()
    with pytest.raises(ValidationError):  # nor draw a sample
        coding.create_sample(actor=researcher, action_set=action_set, name="Mine", scheme=scheme, mode="all",
                             coders=[facilitator, researcher])


def test_a_revoked_researcher_codes_no_more(action_set, question, facilitator, researcher):
    scheme = CodingScheme.objects.get(is_default=True)
    sample = coding.create_sample(actor=facilitator, action_set=action_set, name="S", scheme=scheme, mode="all",
                                  coders=[facilitator, researcher])
    researcher_services.revoke_researcher(actor=facilitator,
                                          membership=Membership.objects.get(user=researcher, action_set=action_set))
    with pytest.raises(ValidationError):
        coding.code_blind(coder=researcher, sample=sample, codes={question.pk: scheme.codes.first()})


def test_a_researcher_is_knocked_by_nobody(client, action_set, airtime, learner, researcher):
    from engagement import knocks
    from actionsets.permissions import get_set_or_404

    access = get_set_or_404(learner, action_set.slug)
    with pytest.raises(ValidationError):
        knocks.knock(access=access, airtime=airtime, member=Membership.objects.get(user=researcher),
                     now=airtime.created_at + knocks.KNOCK_AFTER * 2)


def test_staff_role_changes_leave_a_researcher_alone(action_set, researcher, staff):
    """/manage/'s facilitator assignment refuses a researcher; bulk role changes (rosters) skip them."""
    from enrolment.services import cohorts

    with pytest.raises(ValidationError, match="researches this set"):
        cohorts.assign_facilitator(actor=staff, action_set=action_set, user=researcher)
    membership = Membership.objects.get(user=researcher, action_set=action_set)
    assert cohorts.change_roles(actor=staff, memberships=[membership], role=Membership.Role.LEARNER) == []
    membership.refresh_from_db()
    assert membership.is_researcher

"""Every kind of file × every role: a file is served exactly to those who may read its post, and
everyone else gets the same 404 as for a file that does not exist (docs/files.md)."""

import pytest
from django.urls import reverse

from actionsets import services
from facilitation import services as facilitation_services
from tests.factories import MembershipFactory
from tests.files.conftest import PDF, png_bytes, upload

ROLES = ["anonymous", "learner", "learner2", "fresh_member", "facilitator", "outsider", "other_facilitator", "staff",
         "removed_member"]
# file → the roles that open it. The airtime is learner's; learner2 wrote every reply.
READERS = {
    "airtime": {"learner", "learner2", "fresh_member", "facilitator"},
    # A question, withheld by ask-before-you-see from fresh_member, who has not asked yet.
    "reply": {"learner", "learner2", "facilitator"},
    "hidden_reply": {"learner2", "facilitator"},  # hidden: its author and the facilitators, like its text
    "journal": {"learner"},  # private to its author: not the facilitator
    "pending": {"learner"},  # an editor upload no post has taken yet: its uploader only
}


@pytest.fixture
def fresh_member(action_set):
    return MembershipFactory(action_set=action_set, user__email="fresh@example.com").user


@pytest.fixture
def set_files(action_set, airtime, learner, learner2, facilitator, fresh_member):
    action_set.ask_before_seeing = True
    action_set.save(update_fields=["ask_before_seeing"])
    services.edit_airtime(editor=learner, airtime=airtime, title=airtime.title, body=airtime.body,
                          attachments=[upload("rota.pdf", PDF)])
    reply = services.post_reply(author=learner2, airtime=airtime, body="Answer", kind="clarifying",
                                attachments=[upload("answer.txt", b"SECRET-REPLY-FILE")])
    hidden = services.post_reply(author=learner2, airtime=airtime, body="About Sam", kind="clarifying",
                                 attachments=[upload("sam.png", png_bytes())])
    facilitation_services.hide_reply(actor=facilitator, reply=hidden, reason="Names a colleague.")
    entry = services.write_entry(author=learner, action_set=action_set, body="Private",
                                 attachments=[upload("diary.txt", b"SECRET-JOURNAL-FILE")])
    pending = services.upload_pending(uploader=learner, action_set=action_set, upload=upload("draft.png", png_bytes()))
    return {"airtime": airtime.attachments.get(), "reply": reply.attachments.get(),
            "hidden_reply": hidden.attachments.get(),
            "journal": entry.attachments.get(), "pending": pending}


@pytest.mark.parametrize("kind", list(READERS))
@pytest.mark.parametrize("role", ROLES)
def test_a_file_opens_only_for_those_who_may_read_its_post(request, client, set_files, action_set, kind, role):
    attachment = set_files[kind]
    url = reverse("actionsets:file", kwargs={"set_slug": action_set.slug, "token": attachment.token})
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    response = client.get(url)
    if role == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    elif role in READERS[kind]:
        assert response.status_code == 200, f"{role} could not open the {kind} file"
        assert response["Content-Type"].startswith(attachment.content_type)
    else:
        assert response.status_code == 404, f"{role} got {response.status_code} for the {kind} file"
        assert b"SECRET" not in response.getvalue()


def test_the_withheld_question_file_opens_once_the_member_has_asked(client, set_files, action_set, airtime,
                                                                      fresh_member):
    url = reverse("actionsets:file", kwargs={"set_slug": action_set.slug, "token": set_files["reply"].token})
    client.force_login(fresh_member)
    assert client.get(url).status_code == 404
    services.post_reply(author=fresh_member, airtime=airtime, body="My own question?", kind="clarifying")
    assert client.get(url).status_code == 200


def test_a_restored_reply_shows_its_file_again(client, set_files, action_set, facilitator, fresh_member, learner):
    attachment = set_files["hidden_reply"]
    url = reverse("actionsets:file", kwargs={"set_slug": action_set.slug, "token": attachment.token})
    client.force_login(learner)
    assert client.get(url).status_code == 404
    facilitation_services.restore_reply(actor=facilitator, reply=attachment.reply)
    assert client.get(url).status_code == 200


def test_a_token_from_another_set_is_404_even_for_members_of_both(client, set_files, other_set, learner):
    MembershipFactory(action_set=other_set, user=learner)
    url = reverse("actionsets:file", kwargs={"set_slug": other_set.slug, "token": set_files["airtime"].token})
    client.force_login(learner)
    assert client.get(url).status_code == 404


def test_the_thread_lists_a_hidden_replys_file_only_where_it_shows_its_text(client, set_files, airtime, learner,
                                                                           facilitator):
    token = set_files["hidden_reply"].token
    client.force_login(learner)
    page = client.get(airtime.get_absolute_url()).content.decode()
    assert set_files["airtime"].token in page and set_files["reply"].token in page and token not in page
    client.force_login(facilitator)
    assert token in client.get(airtime.get_absolute_url()).content.decode()


def test_a_removed_member_loses_every_file(client, set_files, action_set, learner):
    client.force_login(learner)
    url = reverse("actionsets:file", kwargs={"set_slug": action_set.slug, "token": set_files["journal"].token})
    assert client.get(url).status_code == 200
    services.remove_member(membership=learner.memberships.get(action_set=action_set))
    assert client.get(url).status_code == 404

"""The privacy model as a matrix: every set URL × every role (docs/architecture.md, section 2).

The URLs come from the URL configuration itself, so a new set URL that is not given arguments
here fails the suite instead of escaping the matrix.
"""

import pytest
from django.urls import URLPattern, reverse

from actionsets import urls as set_urls
from tests.setprocess import test_privacy as setprocess_matrix

POST_ONLY = {"reply", "commitment_new", "advice_check", "check_in", "process_review", "review_summary", "introduce",
             "rules_propose", "evaluate", "notifications", "welcome_dismiss", "file_upload", "reply_draft",
             "airtime_draft", "helpful"}
# Pages a member may reach only for their own things (the fixtures make the learner the owner).
# The journal is private to its author: the set's facilitator gets the same 404 as an outsider.
# Editing is the author's alone too: facilitators hide instead of editing (docs/facilitation.md).
# "This helped me" is the presenter's act on their own airtime (the learner presents here).
OWNER_ONLY = {"commitment_report", "journal_entry", "airtime_edit", "reply_edit", "helpful"}
# Facilitator (or process-steward) actions inside the member URLs: learners get 404.
FACILITATOR_ONLY = {"review_summary"}
# A researcher (issue 17) reads the set and acts in nothing: every write a member can make answers 403
# (they can see the page it is on). Facilitator-only and owner-only URLs stay 404 for them, as for
# learners; pages that exist only to write — presenting, the private journal — are 403 too. The one
# write they keep is accepting the ground rules: agreeing to confidentiality before reading.
RESEARCHER_REFUSED = (POST_ONLY - FACILITATOR_ONLY) | {"airtime_new", "journal", "journal_entry", "journal_export"}
# Revision histories are the author's and the facilitators': they keep hidden text (docs/research.md).
RESEARCHER_404 = (OWNER_ONLY | FACILITATOR_ONLY | {"airtime_history", "reply_history"}) - RESEARCHER_REFUSED


def _kwargs(name, objects):
    base = {"set_slug": objects["set"].slug}
    by_name = {
        "set_home": {}, "rules": {}, "welcome_dismiss": {}, "airtime_new": {}, "commitments": {}, "advice_check": {}, "notifications": {},
        "member_handles": {},
        "thread": {"airtime_id": objects["airtime"].pk},
        "reply": {"airtime_id": objects["airtime"].pk},
        "reply_draft": {"airtime_id": objects["airtime"].pk}, "airtime_draft": {},
        "airtime_edit": {"airtime_id": objects["airtime"].pk},
        "airtime_history": {"airtime_id": objects["airtime"].pk},
        "commitment_new": {"airtime_id": objects["airtime"].pk},
        "reply_edit": {"airtime_id": objects["airtime"].pk, "reply_id": objects["reply"].pk},
        "reply_history": {"airtime_id": objects["airtime"].pk, "reply_id": objects["reply"].pk},
        "helpful": {"airtime_id": objects["airtime"].pk, "reply_id": objects["question"].pk},
        "commitment_report": {"commitment_id": objects["commitment"].pk},
        "round": {"number": 1}, "check_in": {"number": 1}, "process_review": {"number": 1},
        "review_summary": {"number": 1}, "me": {}, "continuity": {"user_id": objects["airtime"].presenter_id},
        "journal": {}, "journal_entry": {"entry_id": objects["journal_entry"].pk}, "journal_export": {},
        # Files (docs/files.md): the airtime's file; tests/files/test_file_privacy.py runs every other
        # kind of file (a reply's, a hidden or withheld reply's, a journal's, an editor upload's).
        "file": {"token": objects["file"].token}, "file_upload": {},
        "search": {},
        "forming": {}, "introduce": {}, "rules_propose": {}, "ending": {}, "evaluate": {}, "export": {},
        # Faces (issue 19): a member's card and picture — the presenter has one (see `objects`).
        "member": {"user_id": objects["airtime"].presenter_id},
        "member_picture": {"user_id": objects["airtime"].presenter_id, "version": objects["picture_version"]},
    }
    if name not in by_name:
        pytest.fail(f"URL {name!r} is not in the privacy matrix: add it to tests/actionsets/test_privacy_matrix.py")
    return {**base, **by_name[name]}


# The facilitator's set-process pages have their own matrix; every other actionsets URL is here.
SET_URL_NAMES = [p.name for p in set_urls.urlpatterns
                 if isinstance(p, URLPattern) and p.name not in setprocess_matrix.NAMES]
ROLES = ["anonymous", "learner", "facilitator", "researcher", "outsider", "other_facilitator", "staff", "removed_member",
         "former_researcher"]


@pytest.fixture
def objects(action_set, airtime, question, own_reply, commitment, learner):
    from actionsets import services

    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts.services import set_profile_picture
    from tests.images import png_upload

    entry = services.write_entry(author=learner, action_set=action_set, body="Getting my team: PRIVATE-JOURNAL")
    services.edit_airtime(editor=learner, airtime=airtime, title=airtime.title, body=airtime.body,
                          attachments=[SimpleUploadedFile("rota.txt", b"Getting my team: the rota")])
    set_profile_picture(user=learner, upload=png_upload())
    learner.refresh_from_db()
    return {"set": action_set, "airtime": airtime, "reply": own_reply, "question": question,
            "commitment": commitment, "journal_entry": entry, "file": airtime.attachments.get(),
            "picture_version": learner.picture_version}


def _expected(role, name):
    if role == "anonymous":
        return "login"
    if role == "researcher":
        if name in RESEARCHER_REFUSED:
            return 403
        if name in RESEARCHER_404:
            return 404
        return "ok"
    if role in {"learner", "facilitator"}:
        if role == "facilitator" and name in OWNER_ONLY:
            return 404
        if role == "learner" and name in FACILITATOR_ONLY:
            return 404
        return "ok"
    return 404


@pytest.mark.parametrize("name", SET_URL_NAMES)
@pytest.mark.parametrize("role", ROLES)
def test_set_url_is_visible_only_to_current_members(request, client, objects, name, role):
    url = reverse(f"actionsets:{name}", kwargs=_kwargs(name, objects))
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    method = client.post if name in POST_ONLY else client.get
    response = method(url, {"body": ""} if name in POST_ONLY else None)
    expected = _expected(role, name)
    content = response.getvalue()  # a file is a streaming response
    if role != "learner":
        assert b"PRIVATE-JOURNAL" not in content, f"{role} read a journal on {url}"
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    elif expected == 404:
        assert response.status_code == 404, f"{role} got {response.status_code} on {url}"
        assert b"Getting my team" not in content
    elif expected == 403:
        assert response.status_code == 403, f"{role} got {response.status_code} on {url}"
    else:
        assert response.status_code in {200, 302, 400}, f"{role} got {response.status_code} on {url}"


@pytest.mark.parametrize("role", ["outsider", "other_facilitator", "staff", "removed_member"])
def test_unknown_set_and_someone_elses_set_look_the_same(request, client, objects, role):
    client.force_login(request.getfixturevalue(role))
    missing = client.get("/sets/no-such-set/")
    hidden = client.get(f"/sets/{objects['set'].slug}/")
    assert missing.status_code == hidden.status_code == 404


def test_anonymous_is_sent_to_sign_in_for_a_set_that_does_not_exist(client, db):
    response = client.get("/sets/no-such-set/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_outsider_cannot_post_a_reply(client, outsider, airtime):
    client.force_login(outsider)
    response = client.post(
        reverse("actionsets:reply", kwargs={"set_slug": airtime.action_set.slug, "airtime_id": airtime.pk}),
        {"body": "Sneaky question?", "kind": "question"},
    )
    assert response.status_code == 404
    assert airtime.replies.count() == 0


def test_airtime_of_another_set_is_404_even_for_a_member_of_that_other_set(client, outsider, other_set, airtime):
    client.force_login(outsider)
    url = reverse("actionsets:thread", kwargs={"set_slug": other_set.slug, "airtime_id": airtime.pk})
    assert client.get(url).status_code == 404


def test_home_lists_only_my_current_sets(client, learner, outsider, removed_member, action_set):
    client.force_login(removed_member)
    assert action_set.name.encode() not in client.get("/").content
    client.force_login(learner)
    assert action_set.name.encode() in client.get("/").content


# --- Attack: ids of posts the sender may not read, sent through forms and URLs ------------------
# Issue 11: a reply form's `parent` named a hidden reply and the 400 page echoed its text in
# `<option selected>`. Each role sends the id of a post it may not read here — hidden, withheld by
# ask-before-you-see, on another airtime, in another set — through every form or URL that takes a
# reply id, and the answer must never carry that post's text (nor may a reply attach to it).

SECRETS = {
    # secret → the roles that may read its text on this airtime's pages (the author; facilitators
    # see hidden text; ask-before-you-see withholds a question only from members yet to ask).
    "hidden": {"learner2", "facilitator"},
    "withheld": {"learner", "learner2", "facilitator", "researcher"},  # a researcher never asks: nothing withheld
    "other_airtime": set(),
    "other_set": set(),
}
ATTACK_ROLES = ["learner", "learner2", "fresh_member", "facilitator", "researcher", "outsider", "other_facilitator",
                "staff", "removed_member", "former_researcher"]


@pytest.fixture
def secrets(action_set, other_set, airtime, learner, learner2, facilitator, outsider, other_facilitator):
    from actionsets import services as set_services
    from facilitation import services as facilitation_services
    from tests.factories import RoundFactory

    action_set.ask_before_seeing = True
    action_set.save(update_fields=["ask_before_seeing"])
    hidden = set_services.post_reply(author=learner2, airtime=airtime, body="HIDDEN-SECRET about Sam")
    facilitation_services.hide_reply(actor=facilitator, reply=hidden, reason="Names a colleague.")
    withheld = set_services.post_reply(author=learner2, airtime=airtime, body="WITHHELD-SECRET question")
    other_airtime = set_services.present_airtime(presenter=learner2, action_set=action_set, title="Budget",
                                                 body="The budget is tight.")
    elsewhere = set_services.post_reply(author=learner, airtime=other_airtime, body="OTHER-AIRTIME-SECRET reply")
    RoundFactory(action_set=other_set, number=1)
    their_airtime = set_services.present_airtime(presenter=outsider, action_set=other_set, title="Theirs", body="x")
    other_set_reply = set_services.post_reply(author=other_facilitator, airtime=their_airtime, kind="process_note",
                                              body="OTHER-SET-SECRET note")
    return {"hidden": hidden, "withheld": withheld, "other_airtime": elsewhere, "other_set": other_set_reply}


@pytest.fixture
def fresh_member(action_set):
    """A member who accepted the rules and has not asked yet: ask-before-you-see withholds from them."""
    from tests.factories import MembershipFactory

    return MembershipFactory(action_set=action_set, user__email="fresh@example.com").user


def _attack(client, form, action_set, airtime, reply_id):
    """(response, the part of it that is the reply form or None) for one forged request."""
    set_kwargs = {"set_slug": action_set.slug}
    at = {**set_kwargs, "airtime_id": airtime.pk}
    if form == "reply_parent":
        return client.post(reverse("actionsets:reply", kwargs=at), {"body": "What happened next?", "parent": reply_id})
    if form == "reply_to":
        return client.get(reverse("actionsets:thread", kwargs=at), {"reply_to": reply_id})
    if form == "reply_edit":
        return client.post(reverse("actionsets:reply_edit", kwargs={**at, "reply_id": reply_id}), {"body": ""})
    if form == "reply_history":
        return client.get(reverse("actionsets:reply_history", kwargs={**at, "reply_id": reply_id}))
    if form == "flag":
        return client.post(reverse("facilitation:flag", kwargs={**at, "reply_id": reply_id}), {"reason": ""})
    name = {"hide": "reply_hide", "restore": "reply_restore", "annotate": "reply_annotate"}[form]
    return client.post(reverse(f"facilitation:{name}", kwargs={**set_kwargs, "reply_id": reply_id}), {"reason": ""})


def _reply_form_part(content: bytes) -> bytes:
    start = content.find(b'class="reply-form')
    return b"" if start < 0 else content[start:content.find(b"</section>", start)]


@pytest.mark.parametrize("form", ["reply_parent", "reply_to", "reply_edit", "reply_history", "flag", "hide",
                                  "restore", "annotate"])
@pytest.mark.parametrize("secret", list(SECRETS))
@pytest.mark.parametrize("role", ATTACK_ROLES)
def test_a_post_id_the_sender_may_not_read_never_echoes_its_text(request, client, action_set, airtime, secrets,
                                                                 fresh_member, role, secret, form):
    from actionsets.models import Reply

    user = request.getfixturevalue(role)
    client.force_login(user)
    target = secrets[secret]
    text = target.body.split()[0].encode()
    response = _attack(client, form, action_set, airtime, target.pk)
    assert response.status_code < 500
    if role not in SECRETS[secret]:
        assert text not in response.content, f"{role} read the {secret} post through {form}"
    # Whoever may read it elsewhere on the page, the reply form never names a post from a forged id.
    if form == "reply_parent":
        assert text not in _reply_form_part(response.content), f"the reply form echoed the {secret} post to {role}"
        if role not in SECRETS[secret] or secret == "hidden":
            assert not Reply.objects.filter(in_reply_to=target, author=user).exists(), \
                f"{role} replied to the {secret} post"


def test_replying_to_a_hidden_post_is_refused_clearly_for_learner_and_facilitator(client, airtime, secrets,
                                                                                 learner2, facilitator):
    url = reverse("actionsets:reply", kwargs={"set_slug": airtime.action_set.slug, "airtime_id": airtime.pk})
    client.force_login(facilitator)
    response = client.post(url, {"body": "A process note.", "kind": "process_note", "parent": secrets["hidden"].pk})
    assert response.status_code == 400
    assert "restore it before replying to it" in response.content.decode()
    client.force_login(learner2)  # its author, who can still read it
    response = client.post(url, {"body": "And another thing?", "parent": secrets["hidden"].pk})
    assert response.status_code == 400
    assert "That post is hidden, so it takes no replies." in response.content.decode()
    assert "And another thing?" in response.content.decode()  # the typed text is kept

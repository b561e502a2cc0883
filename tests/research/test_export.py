"""The research export (issue 17, part 3): consent per member per set, pseudonymised, streamed,
logged; the .qdpx validated against the REFI-QDA schema and re-opened by a parser."""

import csv
import io
import json
import secrets
import tracemalloc
import zipfile

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from actionsets import services
from actionsets.models import ModerationAction
from facilitation import coding
from facilitation import services as facilitation_services
from facilitation.models import CodingScheme
from research import export as research_export
from research import services as research_services
from research.models import ConsentDecision
from research.selectors import consenting_user_ids

NS = {"q": "urn:QDA-XML:project:1.0"}


@pytest.fixture
def conversation(action_set, airtime, question, learner, learner2, facilitator):
    learner.display_name, learner2.display_name = "Alice Presenter", "Bruno Asker"
    learner.save(update_fields=["display_name"])
    learner2.save(update_fields=["display_name"])
    answer = services.post_reply(author=learner, airtime=airtime, parent=question,
                                 body="Bruno, I tried a rota. Mail me at alice@example.com.")
    code = CodingScheme.objects.get(is_default=True).codes.first()
    facilitation_services.annotate_reply(facilitator=facilitator, reply=question, code=code)
    services.mark_helpful(presenter=learner, reply=question)
    return {"answer": answer, "code": code}


def _consent(study, action_set, *users, yes=True):
    for user in users:
        research_services.decide_consent(user=user, study=study, action_set=action_set, consented=yes)


def _download(client, user, study, action_set, fmt):
    client.force_login(user)
    name = "research:export_qdpx" if fmt == "qdpx" else "research:export_data"
    response = client.get(reverse(name, kwargs={"set_slug": action_set.slug, "study_id": study.pk}))
    assert response.status_code == 200 and isinstance(response, StreamingHttpResponse)
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _posts(archive):
    return list(csv.DictReader(io.StringIO(archive.read("posts.csv").decode())))


def test_qdpx_is_valid_refi_qda_and_reopens_with_its_codes(client, action_set, study, conversation, learner,
                                                            learner2, facilitator):
    _consent(study, action_set, learner, learner2, facilitator)
    archive = _download(client, facilitator, study, action_set, "qdpx")
    assert archive.namelist() == ["project.qde"]
    raw = archive.read("project.qde")
    schema = etree.XMLSchema(etree.parse(str(research_export.SCHEMA)))
    document = etree.fromstring(raw)
    schema.assertValid(document)
    # Re-open: the sources, the codebook and the question's coding are all there.
    sources = document.findall("q:Sources/q:TextSource", NS)
    assert len(sources) == 3   # the airtime, the question, the answer
    texts = [s.findtext("q:PlainTextContent", namespaces=NS) for s in sources]
    assert "What have you tried so far?" in texts
    code_guids = {c.get("guid"): c.get("name") for c in document.iterfind("q:CodeBook/q:Codes/q:Code", NS)}
    refs = [r.get("targetGUID") for r in document.iterfind(".//q:Coding/q:CodeRef", NS)]
    assert [code_guids[g] for g in refs] == [conversation["code"].label]
    assert b"Alice" not in raw and b"Bruno" not in raw and b"example.com" not in raw


def test_data_export_is_pseudonymised_with_codebook_and_readme(client, action_set, study, conversation, learner,
                                                                learner2, facilitator):
    _consent(study, action_set, learner, learner2, facilitator)
    archive = _download(client, facilitator, study, action_set, "zip")
    assert set(archive.namelist()) == {"README.md", "codebook.csv", "consents.csv", "posts.csv", "posts.jsonl"}
    posts = _posts(archive)
    answer = next(p for p in posts if p["post_id"] == f"R{conversation['answer'].pk}")
    pseudonyms = research_export.Pseudonyms(study, [])
    assert answer["text"] == f"{pseudonyms.of(learner2.pk)}, I tried a rota. Mail me at [email]."
    assert answer["author"] == pseudonyms.of(learner.pk)
    question = next(p for p in posts if p["kind"] == "clarifying")
    assert question["codes"] == conversation["code"].slug and question["helped_presenter"] == "True"
    lines = [json.loads(line) for line in archive.read("posts.jsonl").decode().splitlines()]
    assert [line["post_id"] for line in lines] == [p["post_id"] for p in posts]
    everything = b"".join(archive.read(n) for n in archive.namelist()).decode()
    for secret in ("Alice", "Bruno", "learner@example.com", "learner2@example.com", "alice@example.com"):
        assert secret not in everything
    assert "slug,label,description,scheme,guid" in archive.read("codebook.csv").decode()
    assert "`author`" in archive.read("README.md").decode()


def test_no_consent_means_none_of_their_words_leave_and_withdrawal_applies_to_the_next_export(
        client, action_set, study, conversation, learner, learner2, facilitator):
    _consent(study, action_set, learner, learner2, facilitator)
    first = _posts(_download(client, facilitator, study, action_set, "zip"))
    assert any(p["text"] == "What have you tried so far?" for p in first)
    _consent(study, action_set, learner2, yes=False)     # Bruno withdraws
    second_archive = _download(client, facilitator, study, action_set, "zip")
    second = _posts(second_archive)
    bruno = [p for p in second if p["author"] == research_export.Pseudonyms(study, []).of(learner2.pk)]
    assert bruno and all(p["text"] == "[not consented]" and p["codes"] == "" and p["words"] == "" for p in bruno)
    assert "What have you tried" not in b"".join(second_archive.read(n) for n in second_archive.namelist()).decode()
    assert len(second) == len(first)   # the conversation keeps its shape


def test_a_new_information_sheet_needs_consent_again(action_set, study, learner, facilitator):
    _consent(study, action_set, learner)
    assert consenting_user_ids(study, action_set) == {learner.pk}
    research_services.revise_information_sheet(actor=facilitator, action_set=action_set, study=study,
                                               information_sheet="Now we also export check-ins.")
    study.refresh_from_db()
    assert study.sheet_version == 2 and consenting_user_ids(study, action_set) == set()
    _consent(study, action_set, learner)
    assert ConsentDecision.objects.filter(user=learner).values_list("sheet_version", flat=True).last() == 2


def test_members_opt_in_and_out_on_their_page(client, action_set, study, learner):
    client.force_login(learner)
    page = client.get(reverse("research:studies", args=[action_set.slug])).content.decode()
    assert "Questions in online sets" in page and "ETH-2026-17" in page and "<strong>questions</strong>" in page
    url = reverse("research:consent", kwargs={"set_slug": action_set.slug, "study_id": study.pk})
    client.post(url, {"consent": "yes"})
    assert consenting_user_ids(study, action_set) == {learner.pk}
    assert "You are taking part" in client.get(reverse("research:studies", args=[action_set.slug])).content.decode()
    client.post(url, {"consent": "no"})
    assert consenting_user_ids(study, action_set) == set()
    assert ConsentDecision.objects.filter(user=learner).count() == 2   # the record is kept


def test_every_export_is_logged(client, action_set, study, conversation, facilitator):
    _download(client, facilitator, study, action_set, "qdpx")
    _download(client, facilitator, study, action_set, "zip")
    logged = ModerationAction.objects.filter(action=ModerationAction.Action.RESEARCH_EXPORT, action_set=action_set)
    assert [(a.actor, a.target_type, a.target_id, a.detail["format"]) for a in logged.order_by("pk")] == [
        (facilitator, "study", study.pk, "qdpx"), (facilitator, "study", study.pk, "zip")]


def test_agreed_codes_are_codings_by_the_agreed_user(client, action_set, study, conversation, learner, learner2,
                                                     facilitator):
    from actionsets.models import Membership
    from tests.factories import MembershipFactory

    second = MembershipFactory(action_set=action_set, role=Membership.Role.FACILITATOR).user
    sample = coding.create_sample(actor=facilitator, action_set=action_set, name="s", mode="all",
                                  scheme=CodingScheme.objects.get(is_default=True), coders=[facilitator, second])
    coding.record_agreed(actor=facilitator, sample=sample, reply_id=conversation["answer"].pk,
                         code=conversation["code"])
    _consent(study, action_set, learner, learner2)
    document = etree.fromstring(_download(client, facilitator, study, action_set, "qdpx").read("project.qde"))
    etree.XMLSchema(etree.parse(str(research_export.SCHEMA))).assertValid(document)
    agreed_user = next(u.get("guid") for u in document.iterfind("q:Users/q:User", NS)
                       if u.get("name").startswith("Agreed"))
    assert [c.get("creatingUser") for c in document.iterfind(".//q:Coding", NS)].count(agreed_user) == 1


def test_streamed_in_constant_memory(action_set, study, airtime, learner, learner2, facilitator, monkeypatch):
    """The peak memory of writing the export does not grow with the number of posts."""
    monkeypatch.setattr(research_export, "BATCH", 20)
    _consent(study, action_set, learner, learner2)

    def peak(replies_wanted):
        from actionsets.models import Reply
        have = Reply.objects.filter(airtime=airtime).count()
        for n in range(have, replies_wanted):
            services.post_reply(author=learner2, airtime=airtime,
                                body=f"Question {n} about the rota? {secrets.token_hex(400)}")
        data = research_export.Export(study, action_set)
        tracemalloc.start()
        total = sum(len(chunk) for chunk in research_export.data_stream(data))
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top, total

    peak(5)                                       # warm up: the first run compiles and caches
    small_peak, small_size = peak(40)
    large_peak, large_size = peak(200)
    assert large_size > 4 * small_size           # five times the posts, ~five times the bytes…
    assert large_peak < 2 * small_peak           # …in about the same memory


def test_erasing_the_account_withdraws_consent(action_set, study, learner):
    from personal_data.services import delete_account

    _consent(study, action_set, learner)
    delete_account(user=learner)
    assert consenting_user_ids(study, action_set) == set()

"""Issue 17 §3, the rest: the cohort-wide export (every set a facilitator facilitates, each set a
Case and a Set in the .qdpx, a set column in CSV/JSONL, pseudonyms stable across sets, logged in
every set's log), the information sheet's versions, and consents in the member's own data."""

import csv
import io
import json
import zipfile

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse
from lxml import etree

from actionsets import services
from actionsets.models import Membership, ModerationAction
from research import export as research_export
from research import services as research_services
from research.models import ConsentDecision, SheetVersion
from tests.factories import MembershipFactory, RoundFactory

NS = {"q": "urn:QDA-XML:project:1.0"}


@pytest.fixture
def two_sets(action_set, other_set, airtime, question, learner, learner2, facilitator, outsider):
    """Set A (the conftest conversation) and set B of the same cohort, the facilitator in both."""
    MembershipFactory(action_set=other_set, user=facilitator, role=Membership.Role.FACILITATOR)
    RoundFactory(action_set=other_set, number=1)
    outsider.display_name = "Olga Outsider"
    outsider.save(update_fields=["display_name"])
    b_airtime = services.present_airtime(presenter=outsider, action_set=other_set, title="Budgets in set B",
                                         body="Our budget is frozen.")
    b_reply = services.post_reply(author=facilitator, airtime=b_airtime, body="What would unfreeze it, Olga?")
    a_reply = services.post_reply(author=facilitator, airtime=airtime, parent=question, body="Say more?")
    return {"b_airtime": b_airtime, "b_reply": b_reply, "a_reply": a_reply}


def _consent(study, action_set, *users, yes=True):
    for user in users:
        research_services.decide_consent(user=user, study=study, action_set=action_set, consented=yes)


def _cohort_download(client, user, study, action_set, fmt):
    client.force_login(user)
    name = "research:cohort_export_qdpx" if fmt == "qdpx" else "research:cohort_export_data"
    response = client.get(reverse(name, kwargs={"set_slug": action_set.slug, "study_id": study.pk}))
    assert response.status_code == 200 and isinstance(response, StreamingHttpResponse)
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _posts(archive):
    return list(csv.DictReader(io.StringIO(archive.read("posts.csv").decode())))


def test_cohort_export_covers_every_set_with_a_set_column_and_stable_pseudonyms(
        client, action_set, other_set, study, two_sets, learner, learner2, outsider, facilitator):
    _consent(study, action_set, learner, learner2, facilitator)
    _consent(study, other_set, outsider, facilitator)
    archive = _cohort_download(client, facilitator, study, action_set, "zip")
    posts = _posts(archive)
    p = research_export.Pseudonyms(study, [])
    labels = {p.of_set(action_set.pk), p.of_set(other_set.pk)}
    assert {row["set"] for row in posts} == labels
    b_rows = [row for row in posts if row["set"] == p.of_set(other_set.pk)]
    assert {row["post_id"] for row in b_rows} == {f"A{two_sets['b_airtime'].pk}", f"R{two_sets['b_reply'].pk}"}
    # The facilitator wrote in both sets: one pseudonym for both.
    assert {row["author"] for row in posts if row["post_id"] in {f"R{two_sets['b_reply'].pk}",
                                                                 f"R{two_sets['a_reply'].pk}"}} == {p.of(facilitator.pk)}
    assert next(r for r in b_rows if r["type"] == "reply")["text"] == f"What would unfreeze it, {p.of(outsider.pk)}?"
    assert all(row["consent_version"] == "1" for row in posts if row["consented"] == "True")
    jsonl = [json.loads(line) for line in archive.read("posts.jsonl").decode().splitlines()]
    assert [row["set"] for row in jsonl] == [row["set"] for row in posts]
    readme = archive.read("README.md").decode()
    assert "The whole cohort" in readme and all(label in readme for label in labels)
    everything = b"".join(archive.read(n) for n in archive.namelist()).decode()
    for secret in ("Set A", "Set B", "set-a", "set-b", "Olga", "outsider@example.com", "fac@example.com"):
        assert secret not in everything
    consents = list(csv.DictReader(io.StringIO(archive.read("consents.csv").decode())))
    assert len(consents) == 5 and {c["consent_version"] for c in consents} == {"1"}


def test_cohort_qdpx_is_valid_with_a_case_and_a_set_per_set(client, action_set, other_set, study, two_sets, learner,
                                                            learner2, outsider, facilitator):
    _consent(study, action_set, learner, learner2, facilitator)
    _consent(study, other_set, outsider, facilitator)
    document = etree.fromstring(_cohort_download(client, facilitator, study, other_set, "qdpx").read("project.qde"))
    etree.XMLSchema(etree.parse(str(research_export.SCHEMA))).assertValid(document)
    sources = {s.get("guid") for s in document.iterfind("q:Sources/q:TextSource", NS)}
    cases = document.findall("q:Cases/q:Case", NS)
    groups = document.findall("q:Sets/q:Set", NS)
    assert len(cases) == len(groups) == 2
    for container, ref in ((cases, "q:SourceRef"), (groups, "q:MemberSource")):
        refs = [r.get("targetGUID") for c in container for r in c.iterfind(ref, NS)]
        assert sorted(refs) == sorted(sources)          # every post in exactly one set
    texts = [t.text for t in document.iterfind(".//q:PlainTextContent", NS)]
    assert any("Our budget is frozen." in (t or "") for t in texts)


def test_cohort_export_is_logged_in_every_set_and_consent_withdrawn_is_excluded_next_time(
        client, action_set, other_set, study, two_sets, learner, learner2, outsider, facilitator):
    _consent(study, action_set, learner, learner2, facilitator)
    _consent(study, other_set, outsider, facilitator)
    first = _posts(_cohort_download(client, facilitator, study, action_set, "zip"))
    assert any(row["text"] == "Our budget is frozen." for row in first)
    _consent(study, other_set, outsider, yes=False)    # Olga withdraws in set B
    archive = _cohort_download(client, facilitator, study, action_set, "zip")
    second = _posts(archive)
    olga = [row for row in second if row["author"] == research_export.Pseudonyms(study, []).of(outsider.pk)]
    assert olga and all(row["text"] == "[not consented]" and row["words"] == "" for row in olga)
    assert "Our budget" not in b"".join(archive.read(n) for n in archive.namelist()).decode()
    assert len(second) == len(first)
    for s in (action_set, other_set):
        logged = ModerationAction.objects.filter(action=ModerationAction.Action.RESEARCH_EXPORT,
                                                 action_set=s).order_by("pk")
        assert [(a.actor, a.detail["scope"], a.detail["whole_cohort"]) for a in logged] == [
            (facilitator, "cohort", True)] * 2
    assert [a.detail["consenting"] for a in logged] == [2, 1]     # set B: Olga and the facilitator, then only the facilitator


def test_cohort_export_leaves_out_the_sets_the_exporter_does_not_facilitate(
        client, action_set, other_set, study, airtime, question, learner, learner2, facilitator, outsider,
        other_facilitator):
    RoundFactory(action_set=other_set, number=1)
    services.present_airtime(presenter=outsider, action_set=other_set, title="Budgets in set B",
                             body="Our budget is frozen.")
    _consent(study, action_set, learner, learner2)
    _consent(study, other_set, outsider)
    archive = _cohort_download(client, facilitator, study, action_set, "zip")
    everything = b"".join(archive.read(n) for n in archive.namelist()).decode()
    assert "budget" not in everything.lower() and "What have you tried so far?" in everything
    assert "Part of the cohort" in archive.read("README.md").decode()
    assert not ModerationAction.objects.filter(action_set=other_set,
                                               action=ModerationAction.Action.RESEARCH_EXPORT).exists()
    page = client.get(reverse("research:facilitate", args=[action_set.slug])).content.decode()
    assert "Set B" not in page


def test_revising_the_sheet_keeps_every_version_and_asks_members_to_confirm_again(
        client, action_set, study, learner, facilitator):
    _consent(study, action_set, learner)
    client.force_login(facilitator)
    url = reverse("research:revise", kwargs={"set_slug": action_set.slug, "study_id": study.pk})
    assert "We study **questions**" in client.get(url).content.decode()
    response = client.post(url, {"information_sheet": "We study **questions**.\n\nWe also export check-ins.",
                                 "note": "Check-ins are exported too."})
    assert response.status_code == 302
    study.refresh_from_db()
    assert study.sheet_version == 2
    assert list(SheetVersion.objects.filter(study=study).values_list("version", flat=True)) == [2, 1]
    assert client.post(url, {"information_sheet": study.information_sheet}).status_code == 400   # unchanged

    client.force_login(learner)
    page = client.get(reverse("research:studies", args=[action_set.slug])).content.decode()
    assert "The information sheet has changed" in page and "Confirm my choice" in page
    versions = client.get(reverse("research:versions", kwargs={"set_slug": action_set.slug, "study_id": study.pk}))
    text = versions.content.decode()
    assert "Version 2" in text and "Version 1" in text and "Check-ins are exported too." in text
    assert "<li><ins>+ We also export check-ins.</ins></li>" in text and "You agreed to version 1" in text
    client.post(reverse("research:consent", kwargs={"set_slug": action_set.slug, "study_id": study.pk}),
                {"consent": "yes"})
    assert "You are taking part" in client.get(reverse("research:studies", args=[action_set.slug])).content.decode()
    assert list(ConsentDecision.objects.filter(user=learner).values_list("sheet_version", flat=True)) == [1, 2]


def test_the_export_records_the_version_each_consent_was_given_against(client, action_set, study, airtime, question,
                                                                        learner, learner2, facilitator):
    _consent(study, action_set, learner, learner2)
    research_services.revise_information_sheet(actor=facilitator, action_set=action_set, study=study,
                                               information_sheet="Version two.")
    study.refresh_from_db()
    _consent(study, action_set, learner)
    client.force_login(facilitator)
    response = client.get(reverse("research:export_data", kwargs={"set_slug": action_set.slug, "study_id": study.pk}))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    p = research_export.Pseudonyms(study, [])
    consents = list(csv.DictReader(io.StringIO(archive.read("consents.csv").decode())))
    assert [(c["author"], c["consent_version"]) for c in consents] == [(p.of(learner.pk), "2")]
    rows = {row["author"]: row for row in _posts(archive)}
    assert rows[p.of(learner.pk)]["consent_version"] == "2"
    assert rows[p.of(learner2.pk)]["consent_version"] == "" and rows[p.of(learner2.pk)]["text"] == "[not consented]"


def test_my_data_holds_my_consent_history(client, action_set, study, learner, facilitator):
    _consent(study, action_set, learner)
    research_services.revise_information_sheet(actor=facilitator, action_set=action_set, study=study,
                                               information_sheet="Version two.")
    study.refresh_from_db()
    _consent(study, action_set, learner, yes=False)
    client.force_login(learner)
    data = json.loads(b"".join(client.get(reverse("account_my_data_json"))).decode())
    assert [(c["study"], c["set"], c["choice"], c["sheet_version"]) for c in data["research_consents"]] == [
        ("Questions in online sets", "Set A", "consented", 1), ("Questions in online sets", "Set A", "declined", 2)]
    assert all(c["decided_at"] for c in data["research_consents"])
    markdown = client.get(reverse("account_my_data_markdown")).content.decode()
    assert "## My research consent decisions" in markdown
    assert "consented — “Questions in online sets” (ethics ETH-2026-17), set Set A, information sheet version 1" \
        " (now version 2)" in markdown
    # Nobody else's decisions.
    client.force_login(facilitator)
    assert json.loads(client.get(reverse("account_my_data_json")).content)["research_consents"] == []


def test_cohort_qdpx_streams_in_constant_memory(action_set, other_set, study, airtime, learner, learner2, facilitator,
                                                outsider, monkeypatch):
    """Two sets, the Case and Set lists included: five times the posts, about the same peak memory."""
    import secrets
    import tracemalloc

    from django.utils import timezone

    from actionsets.models import Reply

    monkeypatch.setattr(research_export, "BATCH", 20)
    MembershipFactory(action_set=other_set, user=facilitator, role=Membership.Role.FACILITATOR)
    RoundFactory(action_set=other_set, number=1)
    b_airtime = services.present_airtime(presenter=outsider, action_set=other_set, title="B", body="Set B.")
    _consent(study, action_set, learner, learner2)
    _consent(study, other_set, facilitator, outsider)

    def peak(replies_wanted):
        for target, author in ((airtime, learner2), (b_airtime, facilitator)):
            for n in range(Reply.objects.filter(airtime=target).count(), replies_wanted):
                services.post_reply(author=author, airtime=target, body=f"Question {n}? {secrets.token_hex(400)}")
        data = research_export.Export(study, [action_set, other_set], whole_cohort=True)
        tracemalloc.start()
        total = sum(len(chunk) for chunk in research_export.qdpx_stream(data, now=timezone.now()))
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top, total

    peak(5)
    small_peak, small_size = peak(30)
    large_peak, large_size = peak(150)
    assert large_size > 4 * small_size
    assert large_peak < 2 * small_peak

"""Search within my sets (docs/search.md), on whichever database the suite runs on — PostgreSQL
when DATABASE_URL is set, SQLite (FTS5) otherwise; both are run (docs/search.md, "Testing").

The privacy matrix at the bottom searches, as every role, through both search URLs and every
filter, for the exact words of posts that must stay hidden from that role."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actionsets import services
from actionsets.models import SearchDocument
from actionsets.search import selector
from actionsets.search.engines import START, STOP, fts5_query
from actionsets.search.snippets import highlighted
from facilitation import services as facilitation_services
from tests.actionsets.test_privacy_matrix import fresh_member, secrets  # noqa: F401 - fixtures shared
from tests.factories import MembershipFactory

SEARCH_ALL = "/search/"


def _set_url(action_set):
    return reverse("actionsets:search", kwargs={"set_slug": action_set.slug})


def _found(user, query, **kwargs):
    return selector.search(user, query=query, **kwargs)


def _urls(results):
    return [hit.url for hit in results.hits]


# --- Pure parts -------------------------------------------------------------------------------


@pytest.mark.parametrize("typed, expected", [
    ("budget", '("budget")'),
    ("team budget", '("team" AND "budget")'),
    ('"shared calendar" rota', '("shared calendar" AND "rota")'),
    ("rota or calendar", '("rota") OR ("calendar")'),
    ("rota -calendar", '(("rota")) NOT "calendar"'),
    ('NEAR(a b) title:x "', '("NEAR a" AND "b" AND "title x")'),  # nothing typed is FTS5 syntax
    ("-only", ""),
    ("", ""),
    ("  ***  ", ""),
])
def test_the_web_search_syntax_becomes_a_quoted_fts5_expression(typed, expected):
    assert fts5_query(typed) == expected


def test_snippets_escape_the_text_before_marking_it():
    raw = f'<script>alert(1)</script> the {START}rota{STOP} & "{START}team{STOP}'
    html = highlighted(raw)
    assert "<script>" not in html
    assert html == ('&lt;script&gt;alert(1)&lt;/script&gt; the <mark>rota</mark> &amp; &quot;<mark>team</mark>')
    assert highlighted(f"{START}open") == "<mark>open</mark>"  # a marker left open is closed
    assert highlighted("", "<b>plain</b>") == "&lt;b&gt;plain&lt;/b&gt;"


# --- Finding posts, and the index kept in step ------------------------------------------------


@pytest.fixture
def searcher(action_set, airtime, learner2):
    return learner2


def test_a_reply_is_found_ranked_with_a_highlighted_snippet_and_a_link_to_it(client, airtime, learner, learner2):
    reply = services.post_reply(author=learner2, airtime=airtime,
                                body="Have you asked the **zookeepers** how they plan the feeding rota?")
    client.force_login(learner)
    response = client.get(SEARCH_ALL, {"q": "zookeepers"})
    assert response.status_code == 200
    content = response.content.decode()
    assert f'href="/sets/{airtime.action_set.slug}/airtime/{airtime.pk}/#reply-{reply.pk}"' in content
    assert "<mark>zookeepers</mark>" in content
    assert "<strong>" not in content.split("search-hit__snippet")[1].split("</p>")[0]  # plain text, not HTML


def test_words_in_the_title_rank_above_words_in_the_text(airtime, learner, learner2, action_set):
    services.post_reply(author=learner2, airtime=airtime, body="And the timetable for the kitchen?")
    results = _found(learner, "timetable")
    assert [hit.kind_label for hit in results.hits][0] == "Airtime"  # "…own the timetable" is its title
    assert results.total == 2


def test_english_stemming_finds_other_forms_of_a_word(airtime, learner2):
    # The airtime says "deadlines"; english (the default SEARCH_LANGUAGE) stems both sides.
    assert _found(learner2, "deadline").total == 1


def test_editing_a_post_changes_what_finds_it(airtime, learner, learner2):
    reply = services.post_reply(author=learner2, airtime=airtime, body="Is the giraffe budget fixed?")
    services.edit_reply(editor=learner2, reply=reply, body="Is the elephant budget fixed?")
    assert _found(learner, "giraffe").total == 0
    assert _found(learner, "elephant").total == 1
    services.edit_airtime(editor=learner, airtime=airtime, title="Owning the penguin rota", body="Penguins.")
    assert _found(learner2, "timetable").total == 0
    assert _found(learner2, "penguin").total == 1


def test_hiding_and_restoring_change_what_is_found_in_the_same_transaction(airtime, learner, learner2, facilitator):
    reply = services.post_reply(author=learner2, airtime=airtime, body="Your manager Tomasz is the obstacle?")
    facilitation_services.hide_reply(actor=facilitator, reply=reply, reason="Names a colleague.")
    assert SearchDocument.objects.get(key=f"reply:{reply.pk}").hidden
    for member in (learner, learner2):  # its author too: hidden is hidden in search
        assert _found(member, "Tomasz").total == 0
    hits = _found(facilitator, "Tomasz").hits
    assert len(hits) == 1 and hits[0].hidden
    facilitation_services.restore_reply(actor=facilitator, reply=reply)
    assert _found(learner, "Tomasz").total == 1


def test_facilitators_see_a_hidden_reply_marked_hidden_on_the_page(client, airtime, learner2, facilitator):
    reply = services.post_reply(author=learner2, airtime=airtime, body="Tomasz again?")
    facilitation_services.hide_reply(actor=facilitator, reply=reply, reason="Names a colleague.")
    client.force_login(facilitator)
    content = client.get(_set_url(airtime.action_set), {"q": "Tomasz"}).content.decode()
    assert "hidden (only facilitators find it)" in content


def test_ask_before_you_see_withholds_questions_and_what_is_under_them(action_set, airtime, learner, learner2):
    action_set.ask_before_seeing = True
    action_set.save(update_fields=["ask_before_seeing"])
    question = services.post_reply(author=learner2, airtime=airtime, body="Who owns the marmalade budget?")
    services.post_reply(author=learner, airtime=airtime, parent=question, body="Marmalade is mine, sadly.")
    newcomer = MembershipFactory(action_set=action_set).user
    assert _found(newcomer, "marmalade").total == 0
    assert _found(newcomer, "timetable").total == 1  # the airtime itself is not withheld
    assert _found(learner2, "marmalade").total == 2  # the asker sees the answer to their question
    services.post_reply(author=newcomer, airtime=airtime, body="What would success look like?")
    assert _found(newcomer, "marmalade").total == 2  # asked: the thread shows everything, so does search


def test_a_former_member_finds_nothing_from_that_set(airtime, learner2, removed_member, action_set):
    services.post_reply(author=learner2, airtime=airtime, body="Ostrich rota?")
    assert _found(removed_member, "ostrich").total == 0
    membership = action_set.memberships.get(user=learner2)
    services.remove_member(membership=membership)
    assert _found(learner2, "ostrich").total == 0


def test_erasing_an_account_keeps_its_posts_findable_as_a_former_member(airtime, learner, learner2):
    from personal_data.services import delete_account

    services.post_reply(author=learner2, airtime=airtime, body="Walrus question?")
    delete_account(user=learner2)
    [hit] = _found(learner, "walrus").hits
    assert hit.author_name == "Former member"
    assert _found(learner2, "walrus").total == 0  # their memberships ended


def test_journal_entries_are_found_only_by_their_writer_on_the_journal_tab(client, action_set, airtime, learner,
                                                                          learner2, facilitator):
    entry = services.write_entry(author=learner, action_set=action_set, title="Armadillo worries",
                                 body="I felt the armadillo question was about me.")
    assert _found(learner, "armadillo").total == 0  # posts tab
    results = _found(learner, "armadillo", tab=selector.JOURNAL)
    assert _urls(results) == [reverse("actionsets:journal_entry", kwargs={"set_slug": action_set.slug,
                                                                           "entry_id": entry.pk})]
    for other in (learner2, facilitator):
        assert _found(other, "armadillo", tab=selector.JOURNAL).total == 0
        assert _found(other, "armadillo").total == 0
        client.force_login(other)
        for url in (SEARCH_ALL, _set_url(action_set)):
            for tab in ("posts", "journal"):
                content = client.get(url, {"q": "armadillo", "tab": tab}).content.decode()
                assert f"/journal/{entry.pk}/" not in content and "<mark>armadillo" not in content.lower()
    services.edit_entry(author=learner, entry=entry, body="Now about the aardvark.", level=entry.level,
                       title=entry.title)
    assert _found(learner, "armadillo", tab=selector.JOURNAL).total == 1  # still in the title
    assert _found(learner, "aardvark", tab=selector.JOURNAL).total == 1


def test_filters_narrow_the_results(action_set, other_set, airtime, learner, learner2, facilitator):
    from tests.factories import RoundFactory

    services.post_reply(author=learner2, airtime=airtime, body="Quokka numbers?")
    note = services.post_reply(author=facilitator, airtime=airtime, kind="process_note", body="Quokka time-out.")
    MembershipFactory(action_set=other_set, user=learner2)
    RoundFactory(action_set=other_set, number=1)
    services.present_airtime(presenter=learner2, action_set=other_set, title="Quokka plans", body="In set B.")
    today = timezone.localdate()
    assert _found(learner2, "quokka").total == 3
    assert _found(learner2, "quokka", filters=selector.Filters(set_slug=other_set.slug)).total == 1
    assert _found(learner2, "quokka", filters=selector.Filters(set_slug="not-mine")).total == 0
    assert _found(learner2, "quokka", filters=selector.Filters(round=1)).total == 3
    assert _found(learner2, "quokka", filters=selector.Filters(round=2)).total == 0
    assert _urls(_found(learner2, "quokka", filters=selector.Filters(kind="process_note"))) == [
        f"{airtime.get_absolute_url()}#reply-{note.pk}"]
    assert _found(learner2, "quokka", filters=selector.Filters(author=facilitator.pk)).total == 1
    assert _found(learner2, "quokka", filters=selector.Filters(since=today, until=today)).total == 3
    assert _found(learner2, "quokka", filters=selector.Filters(since=today + timedelta(days=1))).total == 0
    assert _found(learner2, "quokka", filters=selector.Filters(until=today - timedelta(days=1))).total == 0
    assert _found(learner2, "quokka", access=_access(learner2, action_set)).total == 2


def _access(user, action_set):
    from actionsets.permissions import get_set_or_404

    return get_set_or_404(user, action_set.slug)


def test_user_text_is_never_markup_in_results(client, airtime, learner, learner2):
    services.post_reply(author=learner2, airtime=airtime,
                        body='Kookaburra `<script>alert("x")</script>` and <img src=x onerror=alert(1)> ?')
    client.force_login(learner)
    content = client.get(SEARCH_ALL, {"q": "kookaburra"}).content.decode()
    assert "<mark>Kookaburra</mark>" in content
    assert "<script>alert" not in content and "<img src=x" not in content


def test_pages_and_bad_input(client, airtime, learner, learner2):
    for n in range(selector.PAGE_SIZE + 3):
        services.post_reply(author=learner2, airtime=airtime, body=f"Numbat question {n}?")
    client.force_login(learner)
    first = client.get(SEARCH_ALL, {"q": "numbat"}).content.decode()
    assert "23 results" in first and 'rel="next"' in first
    second = client.get(SEARCH_ALL, {"q": "numbat", "page": "2"}).content.decode()
    assert second.count('class="card search-hit') == 3 and 'start="21"' in second
    assert "23 results" in second  # the count comes with the page (COUNT(*) OVER ())
    stale = client.get(SEARCH_ALL, {"q": "numbat", "page": "9"}).content.decode()  # past the end: the last page
    assert "23 results" in stale and stale.count('class="card search-hit') == 3 and "Page 2 of 2" in stale
    for bad in ({"q": '"'}, {"q": "numbat", "round": "x", "since": "yesterday"}, {"q": "a" * 5000}, {"q": "-"}):
        assert client.get(SEARCH_ALL, bad).status_code == 200


@pytest.mark.parametrize("size", [3, 40])
def test_query_count_is_constant_in_the_number_of_hits(client, action_set, airtime, learner, learner2, size):
    action_set.ask_before_seeing = True  # the withheld-questions queries run too
    action_set.save(update_fields=["ask_before_seeing"])
    for n in range(size):
        services.post_reply(author=learner2, airtime=airtime, body=f"Wombat question {n}?")
    client.force_login(learner)
    for url in (SEARCH_ALL, _set_url(action_set)):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, {"q": "wombat", "author": learner2.pk})
        assert response.status_code == 200 and b"<mark>" in response.content
        # session, user, [membership+set | memberships], the questions with their airtimes, people, rounds,
        # the page with its count (one query on PostgreSQL; FTS5 counts apart), and the header's unread
        # notifications (issue 14)
        expected = 8 if connection.vendor == "postgresql" else 9
        assert len(ctx.captured_queries) == expected, [q["sql"][:120] for q in ctx.captured_queries]


def test_rebuild_search_index_is_idempotent(airtime, learner, learner2, action_set):
    services.post_reply(author=learner2, airtime=airtime, body="Pangolin?")
    services.write_entry(author=learner, action_set=action_set, body="Pangolin journal.")
    SearchDocument.objects.all().delete()
    assert _found(learner, "pangolin").total == 0
    call_command("rebuild_search_index", "--batch-size", "1", stdout=open("/dev/null", "w"))
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))
    assert SearchDocument.objects.count() == 3
    assert _found(learner, "pangolin").total == 1
    assert _found(learner, "pangolin", tab=selector.JOURNAL).total == 1


def test_search_needs_signing_in(client, db):
    response = client.get(SEARCH_ALL, {"q": "x"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# --- The privacy matrix: every search URL and filter, as every role, for posts that must stay
# hidden. The secrets come from tests/actionsets/test_privacy_matrix.py. ------------------------

# secret → the roles that may find it: hidden replies only the set's facilitators (not even their
# author); a withheld question everyone but the member yet to ask; the other set its own members.
FINDERS = {
    "hidden": {"facilitator"},
    # A researcher reads the thread as a facilitator does (ask-before-you-see withholds nothing from
    # someone who never asks), but not hidden replies.
    "withheld": {"learner", "learner2", "facilitator", "researcher"},
    "other_airtime": {"learner", "learner2", "facilitator", "researcher"},  # withheld from fresh_member too
    "other_set": {"outsider", "other_facilitator"},
}
ROLES = ["learner", "learner2", "fresh_member", "facilitator", "researcher", "outsider", "other_facilitator", "staff",
         "removed_member", "former_researcher"]
SET_MEMBERS = {"learner", "learner2", "fresh_member", "facilitator", "researcher"}


def _filter_rows(target, action_set):
    today = timezone.localdate().isoformat()
    return [{}, {"set": action_set.slug}, {"round": 1}, {"kind": target.kind}, {"author": target.author_id},
            {"since": today}, {"until": today}, {"since": today, "until": today, "round": 1, "kind": target.kind,
                                                 "author": target.author_id, "set": action_set.slug},
            {"tab": "journal"}]


@pytest.mark.parametrize("url_name", ["all", "set"])
@pytest.mark.parametrize("secret", list(FINDERS))
@pytest.mark.parametrize("role", ROLES)
def test_search_never_finds_what_the_role_may_not_read(request, client, action_set, other_set, secrets,
                                                       fresh_member, role, secret, url_name):
    user = request.getfixturevalue(role)
    client.force_login(user)
    target = secrets[secret]
    home_set = target.airtime.action_set
    words = target.body.split()[0]  # "HIDDEN-SECRET", … : the post's exact words
    url = SEARCH_ALL if url_name == "all" else _set_url(action_set)
    link = f"#reply-{target.pk}\"".encode()
    for row in _filter_rows(target, home_set):
        response = client.get(url, {"q": words, **row})
        if url_name == "set" and role not in SET_MEMBERS:
            assert response.status_code == 404
            continue
        assert response.status_code == 200
        visible_here = url_name == "all" or home_set == action_set
        should_find = role in FINDERS[secret] and visible_here and row.get("tab") != "journal"
        assert (link in response.content) == should_find, f"{role} {'missed' if should_find else 'found'} " \
                                                          f"the {secret} post via {url} {row}"

"""Re-rendering what members wrote before the switch to cmark-gfm, and what stays the same.

SAME holds sources with the HTML python-markdown 3.11 (the old renderer, kept in
bench/old_markdown.py) stored for them: cmark-gfm renders them byte for byte the same. DIFFERENT
pins each place where CommonMark reads a text otherwise — each one is listed in docs/markdown.md.
"""

import pytest
from django.core.management import call_command

from actionsets import services
from actionsets.markdown import render_markdown
from actionsets.models import ActionSet, Airtime, JournalEntry, ProcessReview, Reply

SAME = [
    ('Things I tried:\n\n- asked Sam\n- moved the meeting\n- wrote it down',
     '<p>Things I tried:</p>\n<ul>\n<li>asked Sam</li>\n<li>moved the meeting</li>\n<li>wrote it down</li>\n</ul>'),
    ('1. first\n2. second\n3. third',
     '<ol>\n<li>first</li>\n<li>second</li>\n<li>third</li>\n</ol>'),
    ('3. three\n4. four',
     '<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>'),
    ('See [the guide](https://www.dcc.ac.uk/ "DCC") and <https://example.org/x> or mail <me@example.org>.',
     '<p>See <a href="https://www.dcc.ac.uk/" title="DCC" rel="nofollow noopener noreferrer">the guide</a> and <a href="https://example.org/x" rel="nofollow noopener noreferrer">https://example.org/x</a> or mail <a href="mailto:me@example.org" rel="nofollow noopener noreferrer">me@example.org</a>.</p>'),
    ('Read [this][r].\n\n[r]: https://example.org/ref',
     '<p>Read <a href="https://example.org/ref" rel="nofollow noopener noreferrer">this</a>.</p>'),
    ("Use `git status` then:\n\n```\nif a < b:\n    print('x')\n```",
     "<p>Use <code>git status</code> then:</p>\n<pre><code>if a &lt; b:\n    print('x')\n</code></pre>"),
    ('Example:\n\n    SELECT 1;\n    SELECT 2;',
     '<p>Example:</p>\n<pre><code>SELECT 1;\nSELECT 2;\n</code></pre>'),
    ('> What is said here stays here.\n> Second line.\n\nAfter.',
     '<blockquote>\n<p>What is said here stays here.\nSecond line.</p>\n</blockquote>\n<p>After.</p>'),
    ('> outer\n>\n> > inner',
     '<blockquote>\n<p>outer</p>\n<blockquote>\n<p>inner</p>\n</blockquote>\n</blockquote>'),
    ('| who | what |\n|---|:-:|\n| Priya | grant deadline |\n| Sam | rota |',
     '<table>\n<thead>\n<tr>\n<th>who</th>\n<th align="center">what</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>Priya</td>\n<td align="center">grant deadline</td>\n</tr>\n<tr>\n<td>Sam</td>\n<td align="center">rota</td>\n</tr>\n</tbody>\n</table>'),
    ('## Ground rules\n\nText\n\n### Small',
     '<h2>Ground rules</h2>\n<p>Text</p>\n<h3>Small</h3>'),
    ('Above\n\n---\n\nBelow',
     '<p>Above</p>\n<hr>\n<p>Below</p>'),
    ('Line one  \nLine two',
     '<p>Line one<br>\nLine two</p>'),
    ('Line one\nLine two',
     '<p>Line one\nLine two</p>'),
    ('Fish & chips, 3 < 4, AT&amp;T',
     '<p>Fish &amp; chips, 3 &lt; 4, AT&amp;T</p>'),
    ('![team rota](https://example.org/rota.png)',
     '<p><a href="https://example.org/rota.png" rel="nofollow noopener noreferrer">[image: team rota]</a></p>'),
    ('I wrote <b>bold</b> & <i>meant</i> it',
     '<p>I wrote &lt;b&gt;bold&lt;/b&gt; &amp; &lt;i&gt;meant&lt;/i&gt; it</p>'),
    ('- one\n\n- two',
     '<ul>\n<li>\n<p>one</p>\n</li>\n<li>\n<p>two</p>\n</li>\n</ul>'),
]

DIFFERENT = [
    # ***both***: the same emphasis, nested the other way round
    ("***both***", "<p><em><strong>both</strong></em></p>"),
    # a list straight after a paragraph line is a list (python-markdown needed a blank line)
    ("Things I tried:\n- asked Sam\n- moved it",
     "<p>Things I tried:</p>\n<ul>\n<li>asked Sam</li>\n<li>moved it</li>\n</ul>"),
    # two-space indentation nests (python-markdown needed four and flattened this list)
    ("- team\n  - Sam\n- me", "<ul>\n<li>team\n<ul>\n<li>Sam</li>\n</ul>\n</li>\n<li>me</li>\n</ul>"),
    # four spaces nest as before; only a line break is added after the parent item's text
    ("- team\n    - Sam\n- me", "<ul>\n<li>team\n<ul>\n<li>Sam</li>\n</ul>\n</li>\n<li>me</li>\n</ul>"),
    # an indented paragraph after a list item belongs to the item
    ("- item with\n  continuation\n\n  second para",
     "<ul>\n<li>\n<p>item with\ncontinuation</p>\n<p>second para</p>\n</li>\n</ul>"),
    # a heading needs a space after its #
    ("#Heading", "<p>#Heading</p>"),
    # bare web addresses become links; ~~text~~ is struck through
    ("See https://example.org/page now",
     '<p>See <a href="https://example.org/page" rel="nofollow noopener noreferrer">https://example.org/page</a> now</p>'),
    ("~~old plan~~ new plan", "<p><del>old plan</del> new plan</p>"),
]


@pytest.mark.parametrize("source, html", SAME, ids=[s[:24] for s, _ in SAME])
def test_what_members_wrote_before_renders_the_same(source, html):
    assert render_markdown(source) == html


@pytest.mark.parametrize("source, html", DIFFERENT, ids=[s[:24] for s, _ in DIFFERENT])
def test_where_commonmark_differs_it_renders_as_documented(source, html):
    assert render_markdown(source) == html


def test_the_differences_are_documented():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "markdown.md").read_text()
    for source, _ in DIFFERENT:
        assert source.split("\n")[0] in doc, source


@pytest.mark.django_db
def test_rerender_posts_rewrites_stale_html_in_batches_and_is_idempotent(
    airtime, learner, learner2, action_set, open_round, capsys
):
    from datetime import timedelta

    replies = [services.post_reply(author=learner2, airtime=airtime, body=f"Why *{n}*?") for n in range(3)]
    entry = services.write_entry(author=learner, action_set=action_set, body="- a\n  - b")
    services.review_process(author=learner2, round=open_round, what_worked="**Pace**", do_differently="More",
                                    now=open_round.closes_at - timedelta(hours=1))
    # What python-markdown stored (and what a row looks like before the upgrade).
    Reply.objects.update(body_html="<p>old</p>")
    Airtime.objects.update(body_html="<p>old</p>")
    JournalEntry.objects.update(body_html="<ul>\n<li>a</li>\n<li>b</li>\n</ul>")
    ProcessReview.objects.update(body_html="<p>old</p>")
    ActionSet.objects.update(ground_rules_html="<p>old</p>")

    call_command("rerender_posts", "--dry-run", "--batch-size", "2")
    out = capsys.readouterr().out
    assert "actionsets.Reply.body_html: 2 read, 2 would change" in out  # progress, batch by batch
    assert "actionsets.Reply.body_html: 3 read, 3 would change" in out
    assert set(Reply.objects.values_list("body_html", flat=True)) == {"<p>old</p>"}  # dry run: nothing written

    call_command("rerender_posts", "--batch-size", "2")
    assert "changed." in capsys.readouterr().out
    assert [r.body_html for r in Reply.objects.order_by("pk")] == [render_markdown(r.body) for r in replies]
    assert Airtime.objects.get().body_html == "<p>We keep missing <strong>deadlines</strong>.</p>"
    assert JournalEntry.objects.get(pk=entry.pk).body_html == "<ul>\n<li>a\n<ul>\n<li>b</li>\n</ul>\n</li>\n</ul>"
    assert ProcessReview.objects.get().body_html == (
        "<p><strong>What worked:</strong> <strong>Pace</strong></p>\n<p><strong>Next time:</strong> More</p>")
    assert ActionSet.objects.get(pk=action_set.pk).ground_rules_html == render_markdown(action_set.ground_rules)

    call_command("rerender_posts")
    assert "Re-rendered" in (out := capsys.readouterr().out) and ": 0 changed." in out  # idempotent


@pytest.mark.django_db
def test_the_rerender_migration_covers_every_html_field():
    from django.apps import apps

    from actionsets.rerender import TARGETS, rerender_all

    # Every *_html field of the app is a target (a new one must be added to TARGETS).
    html_fields = {(m._meta.label, f.name) for m in apps.get_app_config("actionsets").get_models()
                   for f in m._meta.fields if f.name.endswith("_html")}
    assert html_fields == {(t.model, t.html_field) for t in TARGETS}
    assert all(changed == 0 for _, changed in rerender_all().values())

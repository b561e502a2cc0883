"""How the emails name a reply's kind inside a sentence, in every language (issue 18).

A label ("Clarifying question", `Reply.get_kind_display`) heads a line; inside a sentence the
emails need the kind in running text ("(clarifying question)"), with its article ("posted a
clarifying question") and counted ("2 clarifying questions"). German keeps its capitals and
Spanish its genders, so each form is its own message rather than the label lower-cased or with
"a"/"s" added in Python.
"""

from django.utils.translation import ngettext_lazy, pgettext_lazy

IN_SENTENCE = {
    "question": pgettext_lazy("reply kind, mid-sentence", "question"),
    "reflection": pgettext_lazy("reply kind, mid-sentence", "reflection"),
    "response": pgettext_lazy("reply kind, mid-sentence", "response"),
    "summary": pgettext_lazy("reply kind, mid-sentence", "summary"),
    "clarifying": pgettext_lazy("reply kind, mid-sentence", "clarifying question"),
    "probing": pgettext_lazy("reply kind, mid-sentence", "probing question"),
    "reflect_back": pgettext_lazy("reply kind, mid-sentence", "reflect-back"),
    "offer": pgettext_lazy("reply kind, mid-sentence", "offer"),
    "action": pgettext_lazy("reply kind, mid-sentence", "action commitment"),
    "process_note": pgettext_lazy("reply kind, mid-sentence", "process note"),
}

WITH_ARTICLE = {
    "question": pgettext_lazy("reply kind, with its article", "a question"),
    "reflection": pgettext_lazy("reply kind, with its article", "a reflection"),
    "response": pgettext_lazy("reply kind, with its article", "a response"),
    "summary": pgettext_lazy("reply kind, with its article", "a summary"),
    "clarifying": pgettext_lazy("reply kind, with its article", "a clarifying question"),
    "probing": pgettext_lazy("reply kind, with its article", "a probing question"),
    "reflect_back": pgettext_lazy("reply kind, with its article", "a reflect-back"),
    "offer": pgettext_lazy("reply kind, with its article", "an offer"),
    "action": pgettext_lazy("reply kind, with its article", "an action commitment"),
    "process_note": pgettext_lazy("reply kind, with its article", "a process note"),
}

COUNTED = {
    "question": ngettext_lazy("%(count)s question", "%(count)s questions", "count"),
    "reflection": ngettext_lazy("%(count)s reflection", "%(count)s reflections", "count"),
    "response": ngettext_lazy("%(count)s response", "%(count)s responses", "count"),
    "summary": ngettext_lazy("%(count)s summary", "%(count)s summaries", "count"),
    "clarifying": ngettext_lazy("%(count)s clarifying question", "%(count)s clarifying questions", "count"),
    "probing": ngettext_lazy("%(count)s probing question", "%(count)s probing questions", "count"),
    "reflect_back": ngettext_lazy("%(count)s reflect-back", "%(count)s reflect-backs", "count"),
    "offer": ngettext_lazy("%(count)s offer", "%(count)s offers", "count"),
    "action": ngettext_lazy("%(count)s action commitment", "%(count)s action commitments", "count"),
    "process_note": ngettext_lazy("%(count)s process note", "%(count)s process notes", "count"),
}


def in_sentence(reply) -> str:
    return IN_SENTENCE.get(reply.kind) or str(reply.get_kind_display()).lower()


def with_article(reply) -> str:
    return WITH_ARTICLE.get(reply.kind) or str(reply.get_kind_display()).lower()


def counted(kind: str, count: int) -> str:
    form = COUNTED.get(kind)
    return form % {"count": count} if form is not None else f"{count} {kind}"


def sort_key(kind: str) -> str:
    """Kinds in the alphabetical order of their names in the active language."""
    return str(IN_SENTENCE.get(kind, kind))

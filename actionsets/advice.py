"""Advice signals: a documented word-list heuristic over reply text (docs/set-process.md).

Action-learning sets help by asking questions, not by giving advice. These patterns flag replies
that *may* give advice so a facilitator can look. They are a heuristic, never a judgement: the
dashboard labels them so, shows raw counts, and links every count to the posts it came from.
Precision and recall on the labelled corpus in tests/facilitation/advice_corpus.py are reported
in docs/advice-heuristic.md; expect false positives on probing questions that name options.

Whether a reply matches is decided once, when it is posted or edited, and stored on the reply
(`Reply.has_advice_signal`): the dashboard counts with a plain filter, and this module finds the
matching phrases in Python only for the page of posts a facilitator opens. After changing the
patterns, run `manage.py recount_advice_signals` to refresh the stored flags.

Each pattern is written in the common subset of Python `re` and PostgreSQL's regular expressions
(ARE): `\\W`, `\\s`, groups, alternation, bracket lists and `(?!…)` lookahead only; no `\\b`
(a backspace in PostgreSQL) and no lookbehind. So an analyst's own query
(`body__iregex=DB_PATTERN`, e.g. over an export) gives the same answer as the stored flag, and a
test checks both agree on every database.
"""

import re
from dataclasses import dataclass

from .models import Reply

# A word boundary both engines understand: start of text or a non-word character.
_START = r"(^|\W)"
_END = r"(\W|$)"
_APOS = "['’]"

# (name, what it catches, pattern). Names are stable: they appear in the docs and the UI.
PATTERNS: list[tuple[str, str, str]] = [
    ("you-should", "“you should / need to / must / ought to / might want to”",
     _START + r"you (should|need to|must|ought to|might want to|may want to)" + _END),
    ("i-would", "“I would / I'd …” (not “I would like / love / be interested …”)",
     _START + r"(I would|I" + _APOS + r"d)\s+(?!(like|love|be interested|be curious|be keen|want|wonder|imagine)\W)"),
    ("if-i-were-you", "“if I were you”, “in your shoes / position”",
     _START + r"(if I (were|was) you|in your (shoes|position))" + _END),
    ("why-dont-you", "“why don't you”, “why not …”",
     _START + r"(why (don" + _APOS + r"?t|do not|wouldn" + _APOS + r"?t) you|why not\s)"),
    # At the start of a clause only: "What have you tried so far?" is an open question.
    ("have-you-tried", "“Have you tried / considered / thought about …?”, “Did you try …?”",
     r"(^|[.!?,;:(\"“]\s*|(^|\W)(and|so|but|or|then)\s+)(have|did) you (tried|try|considered|consider|thought (about|of))"
     + _END),
    ("what-about-trying", "“what about trying …”, “how about you …”",
     _START + r"(what|how) about (trying|asking|talking|getting|giving|setting|using|you)" + _END),
    ("in-my-experience", "“in my experience”",
     _START + r"in my experience" + _END),
    ("i-suggest", "“I suggest / recommend / advise”, “my advice / suggestion”",
     _START + r"(I (suggest|recommend|advise|propose)|my (advice|suggestion|recommendation))" + _END),
    ("better-to", "“it would be better to”, “the best way is”, “wouldn't it be easier”, “shouldn't you”",
     _START + r"(it (would|might|could) be (better|best|wise|wiser|easier|good) (to|if)"
     r"|the best (thing|way|approach) (is|would be)"
     r"|(wouldn" + _APOS + r"?t|would not) it be (better|best|easier|wiser)"
     r"|shouldn" + _APOS + r"?t you)" + _END),
    ("imperative", "a sentence that starts with an imperative (“Try …”, “Talk to …”, “Make sure …”)",
     r"((^|\n)\s*([-*]\s+)?|[.!?]\s+)(try|talk to|speak to|ask|tell|make sure|be sure|consider|just|stop|"
     r"start|don" + _APOS + r"?t|do not|remember to|delegate|book|send|set up|use)\W"),
]

# One pattern for the database: a reply carries an advice signal when any pattern matches.
DB_PATTERN = "|".join(f"({pattern})" for _, _, pattern in PATTERNS)

_COMPILED = [(name, re.compile(pattern, re.IGNORECASE)) for name, _, pattern in PATTERNS]
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


@dataclass(frozen=True)
class Signal:
    name: str       # the pattern's stable name, e.g. "have-you-tried"
    phrase: str     # the words that matched
    sentence: str   # the sentence they are in, for context


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text or "") if s.strip()]


def find_signals(text: str) -> list[Signal]:
    """Every advice signal in `text`, in reading order, at most one per pattern per sentence."""
    found: list[Signal] = []
    for sentence in sentences(text):
        for name, pattern in _COMPILED:
            match = pattern.search(sentence)
            if match:
                found.append(Signal(name=name, phrase=match.group(0).strip(" \t\n.!?,;:*_-"), sentence=sentence))
    return found


def has_signal(text: str) -> bool:
    """Whether any pattern matches: what `Reply.has_advice_signal` stores, and what the database
    computes with `body__iregex=DB_PATTERN`."""
    return re.search(DB_PATTERN, text or "", re.IGNORECASE) is not None


def recount_advice_signals(*, batch_size: int = 2000, reply_model=Reply) -> int:
    """Re-run the advice word list over every reply and store the result (`has_advice_signal`).

    Posting and editing keep the flag current; run this (`manage.py recount_advice_signals`)
    after changing the patterns above. Returns how many replies changed. Batched by
    primary key, so memory stays flat and a large installation is never locked as a whole.
    `reply_model`: the migration that added the flag passes its historical model.
    """
    changed, last_pk = 0, 0
    while True:
        batch = list(reply_model.objects.filter(pk__gt=last_pk).order_by("pk")
                     .only("pk", "body", "has_advice_signal")[:batch_size])
        if not batch:
            return changed
        stale = [r for r in batch if r.has_advice_signal != has_signal(r.body)]
        for reply in stale:
            reply.has_advice_signal = not reply.has_advice_signal
        if stale:
            reply_model.objects.bulk_update(stale, ["has_advice_signal"], batch_size=500)
        changed += len(stale)
        last_pk = batch[-1].pk


# --- The open-question heuristic ------------------------------------------------------------------
# A question is "open" when it starts with a wh-word or an invitation to tell ("What…?", "How…?",
# "Tell me more about…?"), "closed" when it starts with an auxiliary that asks for yes or no
# ("Did you…?", "Is it…?", "Have you…?"). Only sentences ending in "?" count; the leading "and",
# "so", "but" and "then" are skipped. A word list, never a judgement: the dashboard labels it so.
OPEN_STARTS = ("what", "how", "why", "who", "where", "when", "which", "tell me", "describe", "say more",
               "in what", "to what extent", "talk me through", "walk me through")
CLOSED_STARTS = ("is", "are", "am", "was", "were", "do", "does", "did", "have", "has", "had", "can", "could",
                 "will", "would", "should", "shall", "may", "might", "must", "isn't", "aren't", "don't",
                 "doesn't", "didn't", "haven't", "hasn't", "can't", "couldn't", "won't", "wouldn't", "shouldn't")
_LEADING = re.compile(r"^(and|so|but|then|or|ok|okay|also)\W+", re.IGNORECASE)
OPEN, CLOSED, OTHER = "open", "closed", "other"


def _starts_with(text: str, starts: tuple[str, ...]) -> bool:
    return any(re.match(re.escape(s) + r"(\W|$)", text) for s in starts)


def question_openness(text: str) -> str:
    """"open" when any question in `text` is open, else "closed" when there is a closed one, else
    "other" (no sentence ends in "?", or none starts in a way the lists know)."""
    found = OTHER
    for sentence in sentences(text):
        if not sentence.endswith("?"):
            continue
        words = _LEADING.sub("", sentence.lower().replace("’", "'")).lstrip("\"“(*_ ")
        if _starts_with(words, OPEN_STARTS):
            return OPEN
        if _starts_with(words, CLOSED_STARTS):
            found = CLOSED
    return found

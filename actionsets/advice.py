"""Advice signals: a documented word-list heuristic over reply text (docs/set-process.md).

Action-learning sets help by asking questions, not by giving advice. These patterns flag replies
that *may* give advice so a facilitator can look. They are a heuristic, never a judgement: the
dashboard labels them so, shows raw counts, and links every count to the posts it came from.
Precision and recall on the labelled corpus in tests/facilitation/advice_corpus.py are reported
in docs/advice-heuristic.md; expect false positives on probing questions that name options.

One word list per language (English, Spanish, German: `WORD_LISTS`), chosen by the set's
language (`ActionSet.language`): members write in the set's language whatever their interface
language. A language without a list gives no signals and no open/closed verdicts, and the pages
say "not available" (`has_word_list`) rather than showing zeros. docs/translating.md says how to
add a list.

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
PATTERNS: list[tuple[str, str, str]] = [  # English
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


# Spanish (es). Members write tú or usted; both are listed. "¿" opens a Spanish question, so it
# counts as the start of a clause.
_ES_CLAUSE = r"(^|[.!?,;:(\"“¿¡]\s*|(^|\W)(y|pero|entonces|o|pues)\s+)"
PATTERNS_ES: list[tuple[str, str, str]] = [
    ("deberias", "“deberías / debes / tienes que / tendrías que / te convendría” (and usted)",
     _START + r"(deberías|deberias|debería usted|deberia usted|debes|tienes que|tendrías que|tendrias que"
     r"|usted debe|tiene usted que|te convendría|te convendria|te conviene|le convendría)" + _END),
    ("yo-haria", "“yo haría / yo hablaría …”, “yo que tú”, “en tu lugar”, “si fuera tú”",
     _START + r"(yo (haría|haria|hablaría|hablaria|intentaría|intentaria|probaría|probaria|buscaría|buscaria"
     r"|pediría|pediria|dejaría|dejaria|empezaría|empezaria|llamaría|llamaria|diría|diria|iría|iria)"
     r"|yo que tú|yo que tu|yo en tu lugar|en tu lugar|en su lugar|si (yo )?fuera tú|si (yo )?fuera tu"
     r"|lo que yo haría|lo que yo haria)" + _END),
    ("por-que-no", "“¿por qué no pruebas / hablas / le dices …?”",
     _START + r"por qu[eé] no (le |les |lo |la |te |se )?(pruebas|intentas|hablas|preguntas|dices|pides|buscas"
     r"|llamas|delegas|escribes|propones|haces|dejas|usas|pruebes|intentes|hables|simplemente)" + _END),
    ("has-probado", "“¿Has probado / intentado / pensado en / considerado …?” (at the start of a clause)",
     _ES_CLAUSE + r"(has|habéis|ha) (probado|intentado|considerado|pensado en|planteado)" + _END),
    ("que-tal-si", "“¿qué tal si …?”, “¿y si pruebas / hablas …?”",
     _START + r"(qu[eé] tal si|y si (pruebas|intentas|hablas|pides|preguntas|probaras|intentaras|hablaras"
     r"|le dices|le pides|le preguntas))" + _END),
    ("en-mi-experiencia", "“en mi experiencia”, “por experiencia”, “a mí me funcionó”",
     _START + r"(en mi experiencia|según mi experiencia|segun mi experiencia|por (mi )?experiencia"
     r"|a m[ií] me (funcionó|funciono|sirvió|sirvio|ayudó|ayudo))" + _END),
    ("te-recomiendo", "“te recomiendo / sugiero / aconsejo”, “mi consejo”, “yo te diría”",
     _START + r"((te|le|os) (recomiendo|recomendaría|recomendaria|sugiero|sugeriría|sugeriria|aconsejo"
     r"|aconsejaría|aconsejaria|propongo|diría que|diria que)|mi (consejo|recomendación|recomendacion"
     r"|sugerencia))" + _END),
    ("seria-mejor", "“sería mejor / conveniente / buena idea”, “lo mejor es”, “¿no sería mejor …?”",
     _START + r"(sería|seria|es|será|sera) (mejor|conveniente|buena idea|más fácil|mas facil|aconsejable"
     r"|recomendable|lo mejor|importante que)|lo (mejor|ideal) (es|sería|seria|será|sera)" + _END),
    ("imperativo", "a sentence that starts with an imperative (“Prueba …”, “Habla con …”, “Asegúrate …”)",
     r"((^|\n)\s*([-*]\s+)?|[.!?]\s+)(prueba|pruebe|intenta|intente|habla con|hable con|pregúntale|preguntale"
     r"|dile|dígale|digale|asegúrate|asegurate|asegúrese|considera|considere|deja de|deje de|empieza|empiece"
     r"|no dejes|delega|delegue|busca|busque|envía|envia|manda|usa|use|recuerda|recuerde|haz|haga|pide|pida"
     r"|simplemente)\W"),
]

# German (de). The interface says Sie; members write Sie or du, and both are listed. A verb-first
# sentence is a yes/no question when it ends in "?" ("Sprechen Sie mit ihr?"), so the imperative
# pattern asks for a sentence that does not.
_DE_CLAUSE = r"(^|[.!?,;:(\"“„]\s*|(^|\W)(und|also|aber|oder|dann|na)\s+)"
PATTERNS_DE: list[tuple[str, str, str]] = [
    ("sie-sollten", "“Sie sollten / müssen / müssten”, “du solltest / musst”",
     _START + r"(Sie (sollten|müssen|muessen|müssten|muessten)|du (solltest|musst|müsstest|muesstest)"
     r"|ihr (solltet|müsst|muesst))" + _END),
    ("ich-wuerde", "“ich würde …” (not “ich würde gern wissen / mich interessieren …”), “an Ihrer Stelle”",
     _START + r"(ich (würde|wuerde)\s+(?!(gern|gerne|mich|wissen|fragen|verstehen|hören|hoeren|nachfragen)\W)"
     r"|an (Ihrer|deiner|eurer) Stelle|wenn ich (Sie|du) (wäre|waere|wär))"),
    ("warum-nicht", "“warum nicht …”, “warum versuchen Sie nicht …?”",
     _START + r"((warum|wieso|weshalb) nicht\s|(warum|wieso|weshalb) (versuchen|fragen|sprechen|probieren|reden"
     r"|machen|nehmen) (Sie|Sie es|Sie das) nicht|(warum|wieso|weshalb) (versuchst|fragst|sprichst|probierst"
     r"|redest|machst|nimmst) du (es |das )?nicht)"),
    ("haben-sie-versucht", "“Haben Sie schon versucht / daran gedacht …?” (at the start of a clause)",
     _DE_CLAUSE + r"(haben Sie|hast du|habt ihr) (schon |es |das )?(mal |einmal )?(versucht|probiert|überlegt"
     r"|ueberlegt|erwogen|daran gedacht|darüber nachgedacht|darueber nachgedacht|in Betracht gezogen)" + _END),
    ("wie-waere-es", "“wie wäre es mit / wenn …”, “was halten Sie davon, …”",
     _START + r"(wie (wäre|waere|wär) es|wie wär" + _APOS + r"s|was (halten Sie|hältst du|haeltst du) davon)"
     + _END),
    ("meine-erfahrung", "“meiner Erfahrung nach”, “aus Erfahrung”, “bei mir hat … geholfen”",
     _START + r"(meiner Erfahrung nach|nach meiner Erfahrung|aus (meiner |eigener )?Erfahrung"
     r"|bei mir hat (es |das )?(geholfen|funktioniert))" + _END),
    ("ich-empfehle", "“ich empfehle / rate / schlage vor”, “mein Rat / Tipp / Vorschlag”",
     _START + r"(ich (empfehle|rate|schlage vor|schlage (Ihnen|dir) vor)|mein (Rat|Tipp|Vorschlag)"
     r"|meine Empfehlung)" + _END),
    ("waere-besser", "“es wäre besser / sinnvoll”, “am besten”, “sollten Sie nicht …?”",
     _START + r"(es (wäre|waere|ist) (besser|sinnvoll|sinnvoller|klüger|klueger|einfacher|ratsam|wichtig)"
     r"|am besten|das Beste (wäre|waere|ist)|(wäre|waere) es nicht (besser|einfacher|sinnvoller)"
     r"|sollten Sie nicht|solltest du nicht)" + _END),
    ("imperativ", "a sentence that starts with an imperative and does not end in “?” (“Versuchen Sie …”, "
     "“Sprechen Sie mit …”, “Frag doch …”)",
     r"((^|\n)\s*([-*]\s+)?|[.!?]\s+)((versuchen|sprechen|reden|fragen|probieren|achten|machen|delegieren|schicken"
     r"|nutzen|holen|bitten|überlegen|ueberlegen|denken Sie daran|hören|hoeren|nehmen|setzen|stellen) Sie"
     r"|(versuch|versuche|sprich|rede|frag|frage|probier|probiere|mach|mache|nimm|denk|hör|hoer|lass) "
     r"(doch|mal|einfach|es|das|sie|ihn|ihr)|stellen Sie sicher|stell sicher)\W(?=[^?.!\n]*([.!\n]|$))"),
]

# One pattern for the database: a reply carries an advice signal when any pattern matches.
DB_PATTERN = "|".join(f"({pattern})" for _, _, pattern in PATTERNS)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


@dataclass(frozen=True)
class Signal:
    name: str       # the pattern's stable name, e.g. "have-you-tried"
    phrase: str     # the words that matched
    sentence: str   # the sentence they are in, for context


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text or "") if s.strip()]


def find_signals(text: str, language: str | None = None) -> list[Signal]:
    """Every advice signal in `text`, in reading order, at most one per pattern per sentence, by
    the word list of `language` (a set's language; None: settings.LANGUAGE_CODE). No word list for
    the language: none (check `has_word_list` before calling that "no advice")."""
    word_list = word_list_for(language)
    if word_list is None:
        return []
    found: list[Signal] = []
    for sentence in sentences(text):
        for name, pattern in word_list.compiled:
            match = pattern.search(sentence)
            if match:
                found.append(Signal(name=name, phrase=match.group(0).strip(" \t\n.!?,;:*_-¿¡"), sentence=sentence))
    return found


def has_signal(text: str, language: str | None = None) -> bool:
    """Whether any pattern of `language`'s word list matches: what `Reply.has_advice_signal`
    stores, and what the database computes with `body__iregex=db_pattern(language)`. False when
    the language has no word list."""
    word_list = word_list_for(language)
    return word_list is not None and word_list.db_regex.search(text or "") is not None


def db_pattern(language: str | None = None) -> str | None:
    """The one regular expression for the database (`body__iregex=…`), None without a word list."""
    word_list = word_list_for(language)
    return word_list.db_pattern if word_list else None


def recount_advice_signals(*, batch_size: int = 2000, reply_model=Reply) -> int:
    """Re-run the advice word list over every reply and store the result (`has_advice_signal`).

    Posting and editing keep the flag current; run this (`manage.py recount_advice_signals`)
    after changing the patterns above or a set's language. Returns how many replies changed.
    Batched by primary key, so memory stays flat and a large installation is never locked as a
    whole. Each reply is read with its set's language (the installation default before sets had
    one). `reply_model`: the migration that added the flag passes its historical model.
    """
    set_model = reply_model._meta.get_field("airtime").related_model._meta.get_field("action_set").related_model
    has_language = any(f.name == "language" for f in set_model._meta.get_fields())
    language = ("airtime__action_set__language",) if has_language else ()
    changed, last_pk = 0, 0
    while True:
        batch = list(reply_model.objects.filter(pk__gt=last_pk).order_by("pk")
                     .values("pk", "body", "has_advice_signal", *language)[:batch_size])
        if not batch:
            return changed
        stale = [r["pk"] for r in batch
                 if r["has_advice_signal"] != has_signal(r["body"], r.get("airtime__action_set__language"))]
        if stale:
            objects = list(reply_model.objects.filter(pk__in=stale).only("pk", "has_advice_signal"))
            for reply in objects:
                reply.has_advice_signal = not reply.has_advice_signal
            reply_model.objects.bulk_update(objects, ["has_advice_signal"], batch_size=500)
        changed += len(stale)
        last_pk = batch[-1]["pk"]


# --- The open-question heuristic ------------------------------------------------------------------
# A question is "open" when it starts with a wh-word or an invitation to tell ("What…?", "How…?",
# "Tell me more about…?"), "closed" when it starts with an auxiliary that asks for yes or no
# ("Did you…?", "Is it…?", "Have you…?"). Only sentences ending in "?" count; leading words such as
# "and", "so", "but" and "then" are skipped, and a Spanish question is read from its "¿". A word
# list per language, never a judgement: the dashboard labels it so.
OPEN_STARTS = ("what", "how", "why", "who", "where", "when", "which", "tell me", "describe", "say more",
               "in what", "to what extent", "talk me through", "walk me through")
CLOSED_STARTS = ("is", "are", "am", "was", "were", "do", "does", "did", "have", "has", "had", "can", "could",
                 "will", "would", "should", "shall", "may", "might", "must", "isn't", "aren't", "don't",
                 "doesn't", "didn't", "haven't", "hasn't", "can't", "couldn't", "won't", "wouldn't", "shouldn't")
LEADING = ("and", "so", "but", "then", "or", "ok", "okay", "also")

OPEN_STARTS_ES = ("qué", "que", "cómo", "como", "por qué", "por que", "para qué", "para que", "quién", "quiénes",
                  "quien", "quienes", "dónde", "donde", "adónde", "adonde", "cuándo", "cuando", "cuál", "cuáles",
                  "cual", "cuales", "cuánto", "cuánta", "cuántos", "cuántas", "cuanto", "cuanta", "cuantos",
                  "cuantas", "en qué", "en que", "de qué", "de que", "a qué", "a que", "con quién", "con quien",
                  "de quién", "hasta qué punto", "hasta que punto", "en qué medida", "cuéntame", "cuentame",
                  "cuéntanos", "cuéntenos", "háblame", "hablame", "describe", "descríbeme", "describeme",
                  "explícame", "explicame", "podrías contarme", "podrías contar", "podrías describir",
                  "podrías explicar", "puedes contarme", "puedes contar", "puedes describir", "puedes explicar")
CLOSED_STARTS_ES = ("es", "son", "era", "eran", "fue", "fueron", "está", "esta", "estás", "estas", "están",
                    "estaba", "estabas", "hay", "había", "has", "ha", "habéis", "han", "hubo", "tienes", "tiene",
                    "tenéis", "tenías", "puedes", "puede", "podrías", "podrias", "podría", "sabes", "sabe",
                    "quieres", "quiere", "crees", "cree", "piensas", "te", "le", "lo", "la", "se", "no", "sí",
                    "hiciste", "hizo", "fuiste", "vas", "va", "vais", "sería", "seria", "estaría", "harías",
                    "acaso", "verdad", "existe", "hablaste", "dijiste", "pensaste", "sientes", "necesitas",
                    "usted")
LEADING_ES = ("y", "entonces", "pero", "o", "vale", "bueno", "pues", "también", "tambien", "además", "ademas",
              "ok", "okay")

OPEN_STARTS_DE = ("was", "wie", "warum", "wieso", "weshalb", "wer", "wen", "wem", "wessen", "wo", "woher",
                  "wohin", "wann", "welche", "welcher", "welches", "welchen", "welchem", "inwiefern", "inwieweit",
                  "wodurch", "womit", "wofür", "wozu", "worauf", "worüber", "woran", "wovon", "in welchem",
                  "in welcher", "auf welche", "mit wem", "für wen", "an wen", "von wem", "bis zu welchem",
                  "erzählen sie", "erzähl", "erzähle", "beschreiben sie", "beschreib", "beschreibe",
                  "können sie mehr erzählen", "können sie beschreiben", "können sie erzählen")
CLOSED_STARTS_DE = ("ist", "sind", "bist", "war", "waren", "warst", "hast", "haben", "hat", "hatten", "hatte",
                    "hattest", "habt", "kann", "können", "kannst", "könnten", "könntest", "konnten", "wird",
                    "werden", "würde", "würden", "wirst", "würdest", "soll", "sollte", "sollten", "solltest",
                    "muss", "müssen", "musst", "darf", "dürfen", "gibt", "gab", "möchten", "möchtest", "willst",
                    "wollen", "will", "tun", "tust", "machst", "machen", "denken", "denkst", "glauben",
                    "glaubst", "meinen", "meinst", "wissen", "weißt", "fühlen", "fühlst", "stimmt", "nicht",
                    "hätten", "hättest", "wäre", "wären", "wärst", "sehen", "siehst", "kennen", "kennst")
LEADING_DE = ("und", "also", "aber", "dann", "oder", "ok", "okay", "na", "gut", "auch", "nun", "jetzt")

OPEN, CLOSED, OTHER = "open", "closed", "other"


# --- The word lists by language -------------------------------------------------------------------
@dataclass(frozen=True)
class WordList:
    """One language's advice patterns and open/closed question openers."""

    language: str                              # a base language code: "en", "es", "de"
    patterns: list[tuple[str, str, str]]
    open_starts: tuple[str, ...]
    closed_starts: tuple[str, ...]
    leading: tuple[str, ...]
    closed_pattern: str = ""                   # more closed openers, as a regular expression

    def __post_init__(self):
        pattern = "|".join(f"({p})" for _, _, p in self.patterns)
        object.__setattr__(self, "db_pattern", pattern)
        object.__setattr__(self, "db_regex", re.compile(pattern, re.IGNORECASE))
        object.__setattr__(self, "compiled", [(name, re.compile(p, re.IGNORECASE)) for name, _, p in self.patterns])
        object.__setattr__(self, "leading_regex",
                           re.compile(r"^(" + "|".join(map(re.escape, self.leading)) + r")\W+", re.IGNORECASE))


# Keyed by base language: a set in "es-mx" or "de-at" uses "es" or "de". To add a language, add
# its patterns and openers above and a line here (docs/translating.md, "Word lists").
WORD_LISTS: dict[str, WordList] = {
    "en": WordList("en", PATTERNS, OPEN_STARTS, CLOSED_STARTS, LEADING),
    "es": WordList("es", PATTERNS_ES, OPEN_STARTS_ES, CLOSED_STARTS_ES, LEADING_ES),
    "de": WordList("de", PATTERNS_DE, OPEN_STARTS_DE, CLOSED_STARTS_DE, LEADING_DE,
                   # Any verb-first question to Sie / du / ihr: "Sprechen Sie mit ihr darüber?"
                   closed_pattern=r"\w+ (sie|du|ihr|man)\W"),
}


def base_language(language: str | None) -> str:
    from django.conf import settings

    return (language or settings.LANGUAGE_CODE).lower().replace("_", "-").split("-")[0]


def word_list_for(language: str | None) -> WordList | None:
    """The word list for `language` (None: the installation's LANGUAGE_CODE), None when there is none."""
    return WORD_LISTS.get(base_language(language))


def has_word_list(language: str | None) -> bool:
    return word_list_for(language) is not None


def _starts_with(text: str, starts: tuple[str, ...]) -> bool:
    return any(re.match(re.escape(s) + r"(\W|$)", text) for s in starts)


def question_openness(text: str, language: str | None = None) -> str:
    """"open" when any question in `text` is open, else "closed" when there is a closed one, else
    "other" (no sentence ends in "?", none starts in a way the lists know, or the language has no
    word list: check `has_word_list`)."""
    word_list = word_list_for(language)
    if word_list is None:
        return OTHER
    found = OTHER
    for sentence in sentences(text):
        if not sentence.endswith("?"):
            continue
        words = sentence.lower().replace("’", "'")
        if "¿" in words:
            words = words[words.index("¿") + 1:]
        words = word_list.leading_regex.sub("", words.lstrip("\"“„(*_¿¡ ")).lstrip("\"“„(*_¿¡ ")
        if _starts_with(words, word_list.open_starts):
            return OPEN
        if _starts_with(words, word_list.closed_starts) or (
                word_list.closed_pattern and re.match(word_list.closed_pattern, words)):
            found = CLOSED
    return found


def language_name(code: str) -> str:
    """A language's name in the active language ("French", "Francés"), else its code."""
    from django.utils.translation import get_language_info

    for candidate in (code, base_language(code)):
        try:
            return get_language_info(candidate)["name_translated"]
        except KeyError:
            continue
    return code

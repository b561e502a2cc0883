"""The research export of one set — or of every set of the cohort the exporter facilitates — for
one study (docs/research.md, section 3).

- Only the words of members who consent to the study's *current* information sheet leave; every
  other post keeps its place in the conversation (kind, time, who answered whom, a pseudonym) with
  its text replaced by "[not consented]" and no codes. Hidden replies leave as "[hidden]".
- Pseudonymised: authors are "P-" + 8 hex digits of an HMAC of their id under the study's secret
  key — stable within the study, unlinkable across studies; members' names and any e-mail address
  inside the text are replaced too. Real names and e-mail addresses never leave.
- Streamed in constant memory: posts are read in batches of BATCH (their codes with them, one
  query each per batch), written as they come into a ZIP written on the fly.
- Two downloads: `.qdpx` (REFI-QDA project: `project.qde`, validated against the vendored XSD in
  the tests) and `.zip` (posts.csv, posts.jsonl, codebook.csv, README.md).
"""

import csv
import hashlib
import hmac
import io
import json
import re
import uuid
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from django.db.models import Q

from actionsets.models import ActionSet, Airtime, Membership, Reply
from facilitation.models import AgreedCode, Annotation, Code

from .models import Study
from .selectors import current_consents

BATCH = 500
NOT_CONSENTED = "[not consented]"
HIDDEN = "[hidden by the facilitator]"
SCHEMA = Path(__file__).parent / "schema" / "Project-mrt2019.xsd"
QDA_NS = "urn:QDA-XML:project:1.0"
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
FIELDS = ["post_id", "set", "thread_id", "parent_id", "in_reply_to_id", "round", "type", "kind", "author", "author_role",
          "consented", "consent_version", "created_at", "words", "hidden", "helped_presenter", "codes", "agreed_codes", "title", "text"]


class Pseudonyms:
    """Stable per study, never the real name or e-mail (docs/research.md)."""

    def __init__(self, study: Study, memberships: list[Membership]):
        self.key = study.pseudonym_key.encode()
        names: dict[str, str] = {}
        for m in memberships:
            pseudonym = self.of(m.user_id)
            full = (m.user.display_name or "").strip()
            if full:
                names[full] = pseudonym
                first = full.split()[0]
                if len(first) >= 3:
                    names.setdefault(first, pseudonym)
        ordered = sorted(names, key=len, reverse=True)
        self._names = names
        self._re = re.compile(r"(?<!\w)(" + "|".join(re.escape(n) for n in ordered) + r")(?!\w)") if ordered else None

    def of(self, user_id: int) -> str:
        return "P-" + hmac.new(self.key, str(user_id).encode(), hashlib.sha256).hexdigest()[:8]

    def of_set(self, set_id: int) -> str:
        """A set's label in the export: stable within the study, never the set's name."""
        return "S-" + hmac.new(self.key, f"set:{set_id}".encode(), hashlib.sha256).hexdigest()[:8]

    def guid(self, kind: str, pk) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"actionsets:{self.key.decode()}:{kind}:{pk}"))

    def scrub(self, text: str) -> str:
        text = EMAIL_RE.sub("[email]", CONTROL_RE.sub("", text or ""))
        return self._re.sub(lambda m: self._names[m.group(1)], text) if self._re else text


@dataclass
class Post:
    post_id: str
    set: str
    thread_id: int
    parent_id: str
    in_reply_to_id: str
    round: int
    type: str
    kind: str
    author: str
    author_role: str
    consented: bool
    consent_version: int | None
    created_at: datetime
    words: int | None
    hidden: bool
    helped_presenter: bool
    codes: list          # [(code, coder's user id)] from facilitators' annotations
    agreed_codes: list   # [code] agreed after a coding-agreement discussion
    title: str
    text: str

    def row(self) -> dict:
        return {
            **{f: getattr(self, f) for f in FIELDS if f not in {"codes", "agreed_codes", "created_at",
                                                                 "consent_version"}},
            "consent_version": self.consent_version or "",
            "created_at": self.created_at.isoformat(),
            "codes": ";".join(sorted({code.slug for code, _ in self.codes})),
            "agreed_codes": ";".join(sorted({code.slug for code in self.agreed_codes})),
        }


class Export:
    """The export of one or more sets of a cohort for one study. Iterate `posts()` once per file;
    nothing is held but a batch (and the sets' memberships, to replace members' names)."""

    def __init__(self, study: Study, sets: ActionSet | list[ActionSet], *, whole_cohort: bool | None = None):
        self.study = study
        self.sets = [sets] if isinstance(sets, ActionSet) else list(sets)
        self.action_set = self.sets[0]
        self.is_cohort = not isinstance(sets, ActionSet)
        self.whole_cohort = whole_cohort
        self.memberships = list(Membership.objects.filter(action_set__in=self.sets).select_related("user")
                                .order_by("action_set_id", "pk"))
        self.roles = {(m.action_set_id, m.user_id): m.role for m in self.memberships}
        self.pseudonyms = Pseudonyms(study, self.memberships)
        # set id → {user id → the consent decision that counts}
        self.consents = current_consents(study, self.sets)
        self.consenting = {(set_id, user_id) for set_id, users in self.consents.items() for user_id in users}
        self.codes = list(
            Code.objects.filter(Q(scheme__is_default=True)
                                | Q(annotations__reply__airtime__action_set__in=self.sets))
            .select_related("scheme").distinct().order_by("scheme__name", "position", "label")
        )
        self.codes_by_pk = {c.pk: c for c in self.codes}

    def consenting_in(self, action_set: ActionSet) -> int:
        return len(self.consents.get(action_set.pk, {}))

    def _consent(self, set_id: int, user_id: int):
        return self.consents.get(set_id, {}).get(user_id)

    def _words(self, set_id: int, user_id: int, text: str, *, hidden: bool = False) -> str:
        if (set_id, user_id) not in self.consenting:
            return NOT_CONSENTED
        return HIDDEN if hidden else self.pseudonyms.scrub(text)

    def post_ids(self, action_set: ActionSet):
        """Every post id of one set, without their text (for the set's Case and Set in the .qdpx)."""
        for pk in Airtime.objects.filter(action_set=action_set).values_list("pk", flat=True) \
                .order_by("pk").iterator(chunk_size=BATCH * 4):
            yield f"A{pk}"
        for pk in Reply.objects.filter(airtime__action_set=action_set).values_list("pk", flat=True) \
                .order_by("pk").iterator(chunk_size=BATCH * 4):
            yield f"R{pk}"

    def posts(self):
        """Set by set: airtimes and replies in conversation order, in batches of BATCH."""
        p = self.pseudonyms
        for action_set in self.sets:
            label = p.of_set(action_set.pk)
            for airtime in Airtime.objects.filter(action_set=action_set).select_related("round") \
                    .order_by("created_at", "pk").iterator(chunk_size=BATCH):
                consent = self._consent(action_set.pk, airtime.presenter_id)
                ok = consent is not None
                yield Post(
                    post_id=f"A{airtime.pk}", set=label, thread_id=airtime.pk, parent_id="", in_reply_to_id="",
                    round=airtime.round.number, type="airtime", kind="airtime", author=p.of(airtime.presenter_id),
                    author_role=self.roles.get((action_set.pk, airtime.presenter_id), ""), consented=ok,
                    consent_version=consent.sheet_version if ok else None, created_at=airtime.created_at,
                    words=airtime.word_count if ok else None, hidden=False, helped_presenter=False, codes=[],
                    agreed_codes=[], title=self._words(action_set.pk, airtime.presenter_id, airtime.title),
                    text=self._words(action_set.pk, airtime.presenter_id, airtime.body),
                )
                yield from self._replies(airtime)

    def _replies(self, airtime):
        batch: list[Reply] = []
        replies = Reply.objects.filter(airtime=airtime).select_related("helpful_mark").order_by("path")
        for reply in replies.iterator(chunk_size=BATCH):
            batch.append(reply)
            if len(batch) == BATCH:
                yield from self._reply_batch(airtime, batch)
                batch = []
        if batch:
            yield from self._reply_batch(airtime, batch)

    def _reply_batch(self, airtime, batch):
        ids = [r.pk for r in batch]
        codes: dict[int, list] = {}
        for reply_id, code_id, coder_id in Annotation.objects.filter(reply_id__in=ids) \
                .values_list("reply_id", "code_id", "facilitator_id"):
            if code_id in self.codes_by_pk:
                codes.setdefault(reply_id, []).append((self.codes_by_pk[code_id], coder_id))
        agreed: dict[int, list] = {}
        for reply_id, code_id in AgreedCode.objects.filter(reply_id__in=ids).values_list("reply_id", "code_id"):
            code = self.codes_by_pk.get(code_id) or Code.objects.get(pk=code_id)
            agreed.setdefault(reply_id, []).append(code)
        set_id, label = airtime.action_set_id, self.pseudonyms.of_set(airtime.action_set_id)
        for reply in batch:
            consent = self._consent(set_id, reply.author_id)
            ok = consent is not None
            yield Post(
                post_id=f"R{reply.pk}", set=label, thread_id=airtime.pk,
                parent_id=f"R{reply.parent_id}" if reply.parent_id else f"A{airtime.pk}",
                in_reply_to_id=f"R{reply.in_reply_to_id}" if reply.in_reply_to_id else "",
                round=airtime.round.number, type="reply", kind=reply.kind, author=self.pseudonyms.of(reply.author_id),
                author_role=self.roles.get((set_id, reply.author_id), ""), consented=ok,
                consent_version=consent.sheet_version if ok else None, created_at=reply.created_at,
                words=reply.word_count if ok and not reply.hidden else None, hidden=reply.hidden,
                helped_presenter=getattr(reply, "helpful_mark", None) is not None,
                codes=codes.get(reply.pk, []) if ok and not reply.hidden else [],
                agreed_codes=agreed.get(reply.pk, []) if ok and not reply.hidden else [],
                title="", text=self._words(set_id, reply.author_id, reply.body, hidden=reply.hidden),
            )

    # --- Files ---------------------------------------------------------------------------------

    def csv_lines(self):
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=FIELDS)
        writer.writeheader()
        for post in self.posts():
            writer.writerow(post.row())
            yield out.getvalue()
            out.seek(0)
            out.truncate()
        yield out.getvalue()

    def json_lines(self):
        for post in self.posts():
            yield json.dumps(post.row(), ensure_ascii=False) + "\n"

    def codebook_lines(self):
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["slug", "label", "description", "scheme", "guid"])
        for code in self.codes:
            writer.writerow([code.slug, code.label, code.description, code.scheme.name, self.pseudonyms.guid("code", code.pk)])
        yield out.getvalue()

    def consent_lines(self):
        """consents.csv: for each consenting member of each set, the sheet version their consent
        was given against and when. Members without consent are not listed."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["author", "set", "consent_version", "consented_at"])
        for action_set in self.sets:
            for user_id, d in sorted(self.consents.get(action_set.pk, {}).items(),
                                     key=lambda item: self.pseudonyms.of(item[0])):
                writer.writerow([self.pseudonyms.of(user_id), self.pseudonyms.of_set(action_set.pk), d.sheet_version,
                                 d.decided_at.isoformat()])
        yield out.getvalue()

    def set_lines(self) -> str:
        members: dict[int, int] = {}
        for m in self.memberships:
            members[m.action_set_id] = members.get(m.action_set_id, 0) + 1
        return "\n".join(f"- `{self.pseudonyms.of_set(s.pk)}`: members consenting {self.consenting_in(s)} of "
                         f"{members.get(s.pk, 0)}" for s in self.sets)

    def readme(self) -> str:
        if not self.is_cohort:
            scope = "One set of the cohort."
        elif self.whole_cohort:
            scope = "The whole cohort: every set of it."
        else:
            scope = ("Part of the cohort: the sets the person who exported it facilitates (the other sets' "
                     "facilitators export theirs).")
        return README.format(
            study=self.study.title, ethics=self.study.ethics_reference, version=self.study.sheet_version,
            scope=scope, sets=self.set_lines(),
            fields="\n".join(f"- `{f}`: {FIELD_HELP[f]}" for f in FIELDS),
        )

    def qde_parts(self, *, now: datetime):
        """project.qde, piece by piece: Users, CodeBook, Sources (one TextSource per post, its codes
        as Codings on a selection covering the whole text), Description."""
        p = self.pseudonyms
        yield '<?xml version="1.0" encoding="utf-8"?>\n'
        yield (f'<Project xmlns="{QDA_NS}" name={quoteattr(self.study.title)} origin="ActionSets" '
               f'creationDateTime="{_xml_time(now)}">\n')
        coders = sorted({m.user_id for m in self.memberships if m.role == Membership.Role.FACILITATOR})
        cases = [(p.of_set(s.pk), s) for s in self.sets]
        yield "<Users>"
        yield f'<User guid="{p.guid("user", "agreed")}" name="Agreed code (after discussion)"/>'
        for user_id in coders:
            yield f'<User guid="{p.guid("user", user_id)}" name="{p.of(user_id)}"/>'
        yield "</Users>\n"
        if self.codes:
            yield "<CodeBook><Codes>"
            for code in self.codes:
                yield (f'<Code guid="{p.guid("code", code.pk)}" name={quoteattr(code.label)} isCodable="true">'
                       f"<Description>{escape(code.description or code.slug)}</Description></Code>")
            yield "</Codes></CodeBook>\n"
        # Each set is a Case (and, after the sources, a Set: a document group) holding its posts.
        yield "<Cases>"
        yield from self._set_groups("Case", "SourceRef", cases, p)
        yield "</Cases>\n"
        opened = False
        for post in self.posts():
            if not opened:
                yield "<Sources>\n"
                opened = True
            yield _text_source(post, p)
        if opened:
            yield "</Sources>\n"
            yield "<Sets>"
            yield from self._set_groups("Set", "MemberSource", cases, p)
            yield "</Sets>\n"
        about = (f"ActionSets research export: study “{self.study.title}” (ethics {self.study.ethics_reference}), "
                 f"information sheet version {self.study.sheet_version}. Pseudonymised; see the README.md of "
                 "the data export.")
        yield f"<Description>{escape(about)}</Description>\n"
        yield "</Project>\n"

    def _set_groups(self, element: str, reference: str, cases, p):
        """One <Case> or <Set> per exported set, naming its posts by reference (streamed: the ids
        are read again for each, never held)."""
        for label, action_set in cases:
            yield (f'<{element} guid="{p.guid(element.lower(), action_set.pk)}" name="Set {label}">'
                   f"<Description>{escape(self._set_about(action_set))}</Description>")
            for post_id in self.post_ids(action_set):
                yield f'<{reference} targetGUID="{p.guid("post", post_id)}"/>'
            yield f"</{element}>"

    def _set_about(self, action_set: ActionSet) -> str:
        return (f"Set {self.pseudonyms.of_set(action_set.pk)}: {self.consenting_in(action_set)} members consent "
                f"to information sheet version {self.study.sheet_version}.")


def _xml_time(value: datetime) -> str:
    return value.isoformat()


def _text_source(post: Post, p: Pseudonyms) -> str:
    name = f"{post.set} · round {post.round} · thread {post.thread_id} · {post.post_id} · {post.author} · {post.kind}"
    text = f"{post.title}\n\n{post.text}" if post.title else post.text
    about = (f"{post.type} {post.post_id}; kind {post.kind}; author {post.author} ({post.author_role}); "
             f"parent {post.parent_id or '-'}")
    out = [f'<TextSource guid="{p.guid("post", post.post_id)}" name={quoteattr(name)} '
           f'creationDateTime="{_xml_time(post.created_at)}">',
           f"<Description>{escape(about)}</Description>",
           f"<PlainTextContent>{escape(text)}</PlainTextContent>"]
    if post.codes or post.agreed_codes:
        out.append(f'<PlainTextSelection guid="{p.guid("selection", post.post_id)}" name="whole post" '
                   f'startPosition="0" endPosition="{len(text)}">')
        for n, (code, coder_id) in enumerate(post.codes):
            coder_guid = p.guid("user", coder_id)
            out.append(f'<Coding guid="{p.guid("coding", f"{post.post_id}:{n}")}" creatingUser="{coder_guid}">'
                       f'<CodeRef targetGUID="{p.guid("code", code.pk)}"/></Coding>')
        for n, code in enumerate(post.agreed_codes):
            out.append(f'<Coding guid="{p.guid("agreed", f"{post.post_id}:{n}")}" creatingUser="{p.guid("user", "agreed")}">'
                       f'<CodeRef targetGUID="{p.guid("code", code.pk)}"/></Coding>')
        out.append("</PlainTextSelection>")
    out.append("</TextSource>\n")
    return "".join(out)


# --- Streaming ZIP --------------------------------------------------------------------------------


class _Sink:
    """A write-only, unseekable file: zipfile then writes data descriptors and never seeks back."""

    def __init__(self):
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data) -> int:
        self.parts.append(bytes(data))
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        out = b"".join(self.parts)
        self.parts.clear()
        self.size = 0
        return out


FLUSH_AT = 64 * 1024


def stream_zip(entries):
    """Yield a ZIP file's bytes as it is written: `entries` is [(name, iterable of str)]."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, parts in entries:
            with archive.open(name, "w", force_zip64=True) as member:
                for part in parts:
                    member.write(part.encode("utf-8"))
                    if sink.size >= FLUSH_AT:
                        yield sink.take()
            yield sink.take()
    yield sink.take()


def qdpx_stream(export: Export, *, now: datetime):
    return stream_zip([("project.qde", export.qde_parts(now=now))])


def data_stream(export: Export):
    return stream_zip([
        ("README.md", [export.readme()]),
        ("codebook.csv", export.codebook_lines()),
        ("consents.csv", export.consent_lines()),
        ("posts.csv", export.csv_lines()),
        ("posts.jsonl", export.json_lines()),
    ])


FIELD_HELP = {
    "post_id": "A<n> for an airtime (the presenter's post that opens a thread), R<n> for a reply",
    "set": "the set it was posted in: a label (S- and eight hexadecimal digits) stable within this study, "
           "never the set's name",
    "thread_id": "the airtime the post belongs to",
    "parent_id": "the post it is nested under (an airtime for a top-level reply)",
    "in_reply_to_id": "the reply it answers, when nesting depth made it attach higher up",
    "round": "the set's round number",
    "type": "airtime or reply",
    "kind": "the reply kind: clarifying, probing, reflect_back, offer, response, summary, action, reflection, "
            "process_note (or the older question)",
    "author": "the author's pseudonym: stable within this study, different in any other",
    "author_role": "learner or facilitator",
    "consented": "whether the author consents to this study's current information sheet",
    "consent_version": "the information sheet version the author's consent was given against (empty "
                       "without consent)",
    "created_at": "when it was posted (ISO 8601, UTC)",
    "words": "word count (empty without consent or when hidden)",
    "hidden": "hidden by a facilitator: its text is not exported",
    "helped_presenter": "the presenter marked this question as having helped them see the issue differently",
    "codes": "discourse codes facilitators gave it (slugs; see codebook.csv), semicolon-separated",
    "agreed_codes": "codes agreed after a coding-agreement discussion, semicolon-separated",
    "title": "an airtime's title",
    "text": "the post as written (markdown), members' names and e-mail addresses replaced; "
            "“[not consented]” when the author does not consent",
}

README = """# ActionSets research export

Study: {study} (ethics reference {ethics}), information sheet version {version}.
{scope}

Sets (labels, not the sets' names):
{sets}

Only members who consent, in their set, to the study's current information sheet have their words
here: consent is given per set, so a member of two sets may have their words in one and not the
other. Every other post keeps its place in the conversation with its text replaced by
"[not consented]", no word count and no codes. Authors are pseudonyms ("P-" and eight hexadecimal
digits), stable within this study across all its sets and unrelated in any other; members' names
and any e-mail address inside the text are replaced by pseudonyms and "[email]". Replies hidden by
a facilitator are not exported.

Files:
- `posts.csv` and `posts.jsonl`: one post per row / line, set by set, in conversation order
  (threads by time, replies by position in the thread).
- `codebook.csv`: the discourse codes (slug, label, description, scheme, the GUID used in the
  REFI-QDA project).
- `consents.csv`: each consenting member per set (pseudonym, set, the information sheet version
  their consent was given against, when).
- The REFI-QDA project (`.qdpx`, a separate download) holds the same posts as text sources, each
  set as a Case and a Set (document group) of its posts, each facilitator's codes as codings by
  their pseudonym, and agreed codes as codings by "Agreed code".

Fields:
{fields}
"""

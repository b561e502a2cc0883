"""The research export of one set for one study (docs/research.md, section 3).

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
from .selectors import consenting_user_ids

BATCH = 500
NOT_CONSENTED = "[not consented]"
HIDDEN = "[hidden by the facilitator]"
SCHEMA = Path(__file__).parent / "schema" / "Project-mrt2019.xsd"
QDA_NS = "urn:QDA-XML:project:1.0"
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
FIELDS = ["post_id", "thread_id", "parent_id", "in_reply_to_id", "round", "type", "kind", "author", "author_role",
          "consented", "created_at", "words", "hidden", "helped_presenter", "codes", "agreed_codes", "title", "text"]


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

    def guid(self, kind: str, pk) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"actionsets:{self.key.decode()}:{kind}:{pk}"))

    def scrub(self, text: str) -> str:
        text = EMAIL_RE.sub("[email]", CONTROL_RE.sub("", text or ""))
        return self._re.sub(lambda m: self._names[m.group(1)], text) if self._re else text


@dataclass
class Post:
    post_id: str
    thread_id: int
    parent_id: str
    in_reply_to_id: str
    round: int
    type: str
    kind: str
    author: str
    author_role: str
    consented: bool
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
            **{f: getattr(self, f) for f in FIELDS if f not in {"codes", "agreed_codes", "created_at"}},
            "created_at": self.created_at.isoformat(),
            "codes": ";".join(sorted({code.slug for code, _ in self.codes})),
            "agreed_codes": ";".join(sorted({code.slug for code in self.agreed_codes})),
        }


class Export:
    """One set's export for one study. Iterate `posts()` once per file; nothing is held but a batch."""

    def __init__(self, study: Study, action_set: ActionSet):
        self.study, self.action_set = study, action_set
        self.memberships = list(Membership.objects.filter(action_set=action_set).select_related("user"))
        self.roles = {m.user_id: m.role for m in self.memberships}
        self.pseudonyms = Pseudonyms(study, self.memberships)
        self.consenting = consenting_user_ids(study, action_set)
        self.codes = list(
            Code.objects.filter(Q(scheme__is_default=True) | Q(annotations__reply__airtime__action_set=action_set))
            .select_related("scheme").distinct().order_by("scheme__name", "position", "label")
        )
        self.codes_by_pk = {c.pk: c for c in self.codes}

    def _words(self, user_id: int, text: str, *, hidden: bool = False) -> str:
        if user_id not in self.consenting:
            return NOT_CONSENTED
        return HIDDEN if hidden else self.pseudonyms.scrub(text)

    def posts(self):
        """Airtimes and replies in conversation order, in batches of BATCH."""
        p = self.pseudonyms
        for airtime in Airtime.objects.filter(action_set=self.action_set).select_related("round") \
                .order_by("created_at", "pk").iterator(chunk_size=BATCH):
            ok = airtime.presenter_id in self.consenting
            yield Post(
                post_id=f"A{airtime.pk}", thread_id=airtime.pk, parent_id="", in_reply_to_id="",
                round=airtime.round.number, type="airtime", kind="airtime", author=p.of(airtime.presenter_id),
                author_role=self.roles.get(airtime.presenter_id, ""), consented=ok, created_at=airtime.created_at,
                words=airtime.word_count if ok else None, hidden=False, helped_presenter=False, codes=[],
                agreed_codes=[], title=self._words(airtime.presenter_id, airtime.title),
                text=self._words(airtime.presenter_id, airtime.body),
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
        for reply in batch:
            ok = reply.author_id in self.consenting
            yield Post(
                post_id=f"R{reply.pk}", thread_id=airtime.pk,
                parent_id=f"R{reply.parent_id}" if reply.parent_id else f"A{airtime.pk}",
                in_reply_to_id=f"R{reply.in_reply_to_id}" if reply.in_reply_to_id else "",
                round=airtime.round.number, type="reply", kind=reply.kind, author=self.pseudonyms.of(reply.author_id),
                author_role=self.roles.get(reply.author_id, ""), consented=ok, created_at=reply.created_at,
                words=reply.word_count if ok and not reply.hidden else None, hidden=reply.hidden,
                helped_presenter=getattr(reply, "helpful_mark", None) is not None,
                codes=codes.get(reply.pk, []) if ok and not reply.hidden else [],
                agreed_codes=agreed.get(reply.pk, []) if ok and not reply.hidden else [],
                title="", text=self._words(reply.author_id, reply.body, hidden=reply.hidden),
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

    def readme(self) -> str:
        return README.format(
            study=self.study.title, ethics=self.study.ethics_reference, version=self.study.sheet_version,
            set=self.pseudonyms.guid("set", self.action_set.pk), consenting=len(self.consenting),
            members=len(self.memberships), fields="\n".join(f"- `{f}`: {FIELD_HELP[f]}" for f in FIELDS),
        )

    def qde_parts(self, *, now: datetime):
        """project.qde, piece by piece: Users, CodeBook, Sources (one TextSource per post, its codes
        as Codings on a selection covering the whole text), Description."""
        p = self.pseudonyms
        yield '<?xml version="1.0" encoding="utf-8"?>\n'
        yield (f'<Project xmlns="{QDA_NS}" name={quoteattr(self.study.title)} origin="ActionSets" '
               f'creationDateTime="{_xml_time(now)}">\n')
        coders = sorted({m.user_id for m in self.memberships if m.role == Membership.Role.FACILITATOR})
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
        opened = False
        for post in self.posts():
            if not opened:
                yield "<Sources>\n"
                opened = True
            yield _text_source(post, p)
        if opened:
            yield "</Sources>\n"
        about = (f"ActionSets research export: study “{self.study.title}” (ethics {self.study.ethics_reference}), "
                 f"information sheet version {self.study.sheet_version}. Pseudonymised; see the README.md of "
                 "the data export.")
        yield f"<Description>{escape(about)}</Description>\n"
        yield "</Project>\n"


def _xml_time(value: datetime) -> str:
    return value.isoformat()


def _text_source(post: Post, p: Pseudonyms) -> str:
    name = f"Round {post.round} · thread {post.thread_id} · {post.post_id} · {post.author} · {post.kind}"
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
        ("posts.csv", export.csv_lines()),
        ("posts.jsonl", export.json_lines()),
    ])


FIELD_HELP = {
    "post_id": "A<n> for an airtime (the presenter's post that opens a thread), R<n> for a reply",
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
Set: {set} (a stable identifier, not the set's name). Members consenting: {consenting} of {members}.

Only members who consent to the study's current information sheet have their words here. Every
other post keeps its place in the conversation with its text replaced by "[not consented]", no
word count and no codes. Authors are pseudonyms ("P-" and eight hexadecimal digits), stable within
this study and unrelated in any other; members' names and any e-mail address inside the text are
replaced by pseudonyms and "[email]". Replies hidden by a facilitator are not exported.

Files:
- `posts.csv` and `posts.jsonl`: one post per row / line, in conversation order (threads by time,
  replies by position in the thread).
- `codebook.csv`: the discourse codes (slug, label, description, scheme, the GUID used in the
  REFI-QDA project).
- The REFI-QDA project (`.qdpx`, a separate download) holds the same posts as text sources, each
  facilitator's codes as codings by their pseudonym, and agreed codes as codings by "Agreed code".

Fields:
{fields}
"""

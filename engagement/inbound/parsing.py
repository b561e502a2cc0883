"""Reading one inbound RFC 5322 message: who sent it, to which reply address, whether a machine
sent it, and the new text only.

The new text is what the person wrote above the quoted history: `mail-parser-reply` (a maintained
library that knows the "On … wrote:" lines, Outlook separators and signatures of many mail
clients and languages) cuts quotes and signatures; HTML-only mail is turned into text first, with
quoted blocks marked as quotes so they are cut too.
"""

import hashlib
import re
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr
from functools import lru_cache
from html.parser import HTMLParser

from mailparser_reply import EmailReplyParser
from mailparser_reply.constants import MAIL_LANGUAGES

from .tokens import token_from_address

# Headers a mail server may use to carry the address the message was delivered to.
RECIPIENT_HEADERS = ("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To")
OUT_OF_OFFICE = re.compile(
    r"^\s*(auto(matic)?[\s-]*(reply|response|antwort)|out of (the )?office|away from (the )?office|"
    r"abwesenheit|absence|r[ée]ponse automatique|respuesta autom[áa]tica|fuera de la oficina|"
    r"undeliver(able|ed)|delivery status notification|mail delivery (failed|subsystem)|returned mail)",
    re.IGNORECASE,
)
NULL_SENDERS = {"", "<>", "mailer-daemon", "postmaster"}
FORWARD_MARKERS = re.compile(r"^\s*(-+\s*forwarded message\s*-+|begin forwarded message:)\s*$",
                             re.IGNORECASE | re.MULTILINE)


@dataclass
class InboundMessage:
    message_id: str
    sender: str                 # the From address, normalised
    recipients: list[str]       # every address it was delivered to, normalised
    subject: str
    text: str                   # the new text only
    attachments: int            # how many attachments were left out
    automatic: str = ""         # why it reads as an auto-reply or bounce ("" when a person wrote it)
    dmarc_failed: bool = False
    in_reply_to: str = ""
    envelope_sender: str | None = None

    @property
    def token(self) -> str | None:
        """The first reply+<token> address it was sent to."""
        return next((t for t in map(token_from_address, self.recipients) if t), None)


def normalise_address(address: str) -> str:
    """Lower case, without display name, angle brackets or surrounding space; the domain in IDNA."""
    address = parseaddr(address or "")[1].strip().strip("<>").lower()
    local, at, host = address.rpartition("@")
    if not at:
        return address
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        pass
    return f"{local}@{host}"


class _HtmlToText(HTMLParser):
    """Text from an HTML mail body: block elements become line breaks, quoted blocks (blockquote,
    Gmail's and Outlook's quote containers) become "> " lines, scripts and styles are dropped."""

    BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "hr"}
    SKIP = {"script", "style", "head", "title"}
    QUOTE_CLASSES = ("gmail_quote", "yahoo_quoted", "moz-cite-prefix", "protonmail_quote")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]
        self.quote_depth = 0
        self.stack: list[tuple[str, bool]] = []
        self.skipping = 0

    def _newline(self):
        self.lines.append("")

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").lower()
        quoting = tag == "blockquote" or any(c in classes for c in self.QUOTE_CLASSES) or (
            attrs.get("id") or "").lower() in {"divrplyfwdmsg", "appendonsend"}
        if tag in self.SKIP:
            self.skipping += 1
        if tag == "li":
            self._newline()
            self.lines[-1] = "- "
        elif tag in self.BLOCKS:
            self._newline()
        if tag not in {"br", "hr", "img", "meta", "link", "input"}:
            self.stack.append((tag, quoting))
            if quoting:
                self.quote_depth += 1
                self._newline()

    def handle_endtag(self, tag):
        while self.stack and any(open_tag == tag for open_tag, _ in self.stack):
            open_tag, quoting = self.stack.pop()
            if quoting:
                self.quote_depth -= 1
            if open_tag in self.SKIP:
                self.skipping = max(self.skipping - 1, 0)
            if open_tag == tag:
                break
        if tag in self.BLOCKS:
            self._newline()

    def handle_data(self, data):
        if self.skipping:
            return
        text = re.sub(r"\s+", " ", data)
        if not text.strip() and not self.lines[-1]:
            return
        if self.quote_depth and not self.lines[-1].startswith(">"):
            self.lines[-1] = "> " * self.quote_depth + self.lines[-1].lstrip()
        self.lines[-1] += text

    def text(self) -> str:
        lines = [line.strip() for line in self.lines]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_to_text(html: str) -> str:
    parser = _HtmlToText()
    parser.feed(html)
    parser.close()
    return parser.text()


@lru_cache(maxsize=1)
def _reply_parser() -> EmailReplyParser:
    # Every language the library knows ("david" is a sample of one person's own sign-off).
    return EmailReplyParser(languages=[code for code in MAIL_LANGUAGES if code != "david"])


def new_text(body: str) -> str:
    """The text above the quoted history, without the signature or a forwarding marker."""
    body = (body or "").replace("\r\n", "\n").replace("\r", "\n")
    replies = _reply_parser().read(body).replies
    text = replies[0].body if replies else ""
    text = FORWARD_MARKERS.split(text)[0]
    return text.strip()


def _content(part) -> str:
    """A text part's content; an unknown or wrong charset is read as UTF-8, never a failure (a
    failure would make the mail server deliver the same message again and again)."""
    try:
        return part.get_content()
    except (LookupError, UnicodeError, AssertionError):
        return (part.get_payload(decode=True) or b"").decode("utf-8", errors="replace")


def _body_text(message: EmailMessage) -> str:
    plain = message.get_body(preferencelist=("plain",))
    if plain is not None:
        return _content(plain)
    html = message.get_body(preferencelist=("html",))
    return html_to_text(_content(html)) if html is not None else ""


def _automatic(message: EmailMessage, sender: str, envelope_sender: str | None) -> str:
    """Why this message reads as written by a machine (RFC 3834 and the usual vendor headers)."""
    auto_submitted = (message.get("Auto-Submitted") or "").strip().lower()
    if auto_submitted and auto_submitted != "no":
        return f"Auto-Submitted: {auto_submitted}"
    for header in ("X-Autoreply", "X-Autorespond", "X-Autogenerated"):
        if message.get(header):
            return header
    if (message.get("Precedence") or "").strip().lower() in {"bulk", "auto_reply", "junk", "list"}:
        return f"Precedence: {message.get('Precedence').strip()}"
    if message.get_content_type() == "multipart/report" or message.get("X-Failed-Recipients"):
        return "delivery report"
    if envelope_sender is not None and envelope_sender.strip().lower() in NULL_SENDERS:
        return "null sender"
    if sender.partition("@")[0] in NULL_SENDERS or not sender:
        return "null sender"
    if OUT_OF_OFFICE.match(message.get("Subject") or ""):
        return "out-of-office subject"
    return ""


def _dmarc_failed(message: EmailMessage) -> bool:
    """Authentication-Results (RFC 8601) added by the receiving server says DMARC failed."""
    results = message.get_all("Authentication-Results") or []
    return any(re.search(r"\bdmarc\s*=\s*fail\b", str(value), re.IGNORECASE) for value in results)


def parse(raw: bytes, *, envelope_sender: str | None = None, envelope_recipients=()) -> InboundMessage:
    message = BytesParser(policy=policy.default).parsebytes(raw)
    sender = normalise_address(str(message.get("From") or ""))
    recipients = [normalise_address(a) for _, a in getaddresses(
        [str(v) for h in RECIPIENT_HEADERS for v in (message.get_all(h) or [])])]
    recipients += [normalise_address(a) for a in envelope_recipients if a]
    message_id = (str(message.get("Message-ID") or "")).strip()
    if not message_id:  # a message without one is identified by its bytes
        message_id = f"<sha256.{hashlib.sha256(raw).hexdigest()}@inbound.invalid>"
    attachments = sum(1 for _ in message.iter_attachments()) if message.is_multipart() else 0
    automatic = _automatic(message, sender, envelope_sender)
    return InboundMessage(
        message_id=message_id[:250], sender=sender, recipients=recipients,
        subject=str(message.get("Subject") or "")[:300],
        text="" if automatic else new_text(_body_text(message)), attachments=attachments, automatic=automatic,
        dmarc_failed=_dmarc_failed(message), in_reply_to=str(message.get("In-Reply-To") or "").strip(),
        envelope_sender=envelope_sender,
    )

"""What a reader finds: the privacy rule applied in the query itself, never left to the template.

- only sets where the reader's membership is current (a former member finds nothing there);
- hidden replies are not found, except by the set's facilitators (marked hidden);
- a question ask-before-you-see withholds from the reader now is not found, nor anything under
  it (the thread's rule: `selectors.withholds_questions`, on the questions loaded at once by
  `selectors.waiting.questions_that_may_be_withheld`);
- journal entries only on the journal tab, and only the reader's own.

A fixed number of queries whatever the number of hits (tests/actionsets/test_search.py): the
memberships, the questions that may be withheld with their airtimes, the two filter choices, and
the page with its count (on SQLite the count is a query of its own). Read-only rows are plain
values, not model instances (docs/search.md, "Speed").
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, Window
from django.db.models.functions import Substr
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.safestring import SafeString

from ..models import Membership, Reply, Round, SearchDocument
from ..models.posts import _thread_url
from ..permissions import SetAccess
from ..selectors.threads import withholds_questions
from ..selectors.waiting import questions_that_may_be_withheld
from .engines import engine
from .snippets import highlighted

PAGE_SIZE = 20
MAX_QUERY_CHARS = 200
POSTS, JOURNAL = "posts", "journal"
KIND_CHOICES = [(SearchDocument.AIRTIME, "Airtime"), *Reply.Kind.choices]
KIND_LABELS = dict(KIND_CHOICES)


@dataclass(frozen=True)
class Filters:
    set_slug: str = ""
    round: int | None = None
    kind: str = ""
    author: int | None = None
    since: date | None = None
    until: date | None = None


@dataclass
class Hit:
    url: str
    title: str
    snippet: SafeString
    kind_label: str
    set_name: str
    round: int | None
    author_name: str
    created_at: datetime
    hidden: bool


@dataclass
class Results:
    query: str
    tab: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    pages: int = 0
    memberships: list[Membership] = field(default_factory=list)  # the reader's current sets (set filter)
    authors: list = field(default_factory=list)  # people of those sets (author filter)
    rounds: list[int] = field(default_factory=list)
    round_numbers: dict[int, int] = field(default_factory=dict)  # round id → number, for the hits
    kinds: list = field(default_factory=lambda: KIND_CHOICES)

    @property
    def first_number(self) -> int:
        return (self.page - 1) * PAGE_SIZE + 1


def search(user, *, query: str, tab: str = POSTS, filters: Filters = Filters(), access: SetAccess | None = None,
           now: datetime | None = None, page: int = 1) -> Results:
    """One page of what `user` finds for `query`, best first. `access`: search within that set only
    (the set page's search, its membership already loaded by the view)."""
    now = now or timezone.now()
    query = (query or "").strip()[:MAX_QUERY_CHARS]
    tab = JOURNAL if tab == JOURNAL else POSTS
    results = Results(query=query, tab=tab, page=max(page, 1))
    if not user.is_authenticated:
        return results
    if access is not None:
        memberships = [access.membership]
        access.membership.action_set = access.action_set
    else:
        memberships = list(Membership.objects.current().filter(user=user).select_related("action_set")
                           .order_by("action_set__name", "pk"))
    results.memberships = memberships
    if filters.set_slug:
        memberships = [m for m in memberships if m.action_set.slug == filters.set_slug]
    set_ids = [m.action_set_id for m in memberships]
    _filter_choices(results, set_ids)
    if not query or not set_ids:
        return results

    documents = SearchDocument.objects.filter(action_set_id__in=set_ids)
    if tab == JOURNAL:
        documents = documents.filter(kind=SearchDocument.JOURNAL, author_id=user.pk)
    else:
        facilitated = [m.action_set_id for m in memberships if m.is_facilitator]
        documents = documents.exclude(kind=SearchDocument.JOURNAL).filter(
            Q(hidden=False) | Q(action_set_id__in=facilitated))
        withheld = _withheld(user, memberships, now)
        if withheld is not None:
            documents = documents.exclude(withheld)
    documents = _filtered(documents, filters)

    search_engine = engine()
    ranked = search_engine.matching(documents, query)
    # Plain values, not model instances: the page only reads them. On PostgreSQL the number of hits
    # comes with the page (COUNT(*) OVER (), counted before the LIMIT): one query, not two.
    page_rows = ranked.annotate(head=Substr("text", 1, 300))
    if search_engine.counts_with_page:
        page_rows = page_rows.annotate(total=Window(Count("*"))).values(*HIT_FIELDS, "head", "snippet", "total")
        rows = list(page_rows[(results.page - 1) * PAGE_SIZE:results.page * PAGE_SIZE])
        results.total = rows[0]["total"] if rows else 0
        if not rows and results.page > 1:  # past the last page (a stale link): count, show the last page
            results.total = ranked.count()
    else:
        page_rows = page_rows.values(*HIT_FIELDS, "head", "snippet")
        results.total, rows = ranked.count(), None
    if results.total and (rows is None or not rows):
        results.page = min(results.page, -(-results.total // PAGE_SIZE))
        rows = list(page_rows[(results.page - 1) * PAGE_SIZE:results.page * PAGE_SIZE])
    rows = rows or []
    results.pages = -(-results.total // PAGE_SIZE)
    prefix = get_script_prefix()
    results.hits = [_hit(row, results, prefix) for row in rows]
    return results


# What a hit shows, read with the page's one query.
HIT_FIELDS = ("kind", "hidden", "created_at", "title", "airtime_id", "reply_id", "journal_entry_id", "round_id",
              "action_set__name", "action_set__slug", "author__display_name", "author__email", "airtime__title")


@dataclass(frozen=True)
class Person:
    """An author filter choice: what the `<option>` shows (no model instance per member)."""

    pk: int
    name: str


def _filter_choices(results: Results, set_ids: list[int]) -> None:
    """The author and round filters' choices: two small queries of plain values."""
    if not set_ids:
        return
    people = {pk: display_name or email.split("@")[0]  # User.name, without a User per member
              for pk, display_name, email in Membership.objects.filter(action_set_id__in=set_ids).order_by()
              .values_list("user_id", "user__display_name", "user__email")}
    results.authors = sorted((Person(pk, name) for pk, name in people.items()), key=lambda p: (p.name.lower(), p.pk))
    rounds = Round.objects.filter(action_set_id__in=set_ids).order_by().values_list("pk", "number")
    results.round_numbers = dict(rounds)
    results.rounds = sorted(set(results.round_numbers.values()))


def _withheld(user, memberships: list[Membership], now: datetime) -> Q | None:
    """What ask-before-you-see withholds from this reader now, as an exclusion: each question of
    someone else on an airtime that withholds, with everything under it. Never for facilitators, nor
    for researchers: they never ask, so the thread withholds nothing from them (docs/research.md)."""
    sets = {m.action_set_id: m.action_set for m in memberships if not (m.is_facilitator or m.is_researcher)}
    if not sets:
        return None
    questions = questions_that_may_be_withheld(set_ids=list(sets), now=now, with_airtimes=True)
    if not questions:
        return None
    exclusion = Q()
    for airtime in {q.airtime_id: q.airtime for q in questions}.values():
        own = [q for q in questions if q.airtime_id == airtime.pk]
        if withholds_questions(user_id=user.pk, airtime=airtime, action_set=sets[airtime.action_set_id],
                               replies=own, now=now, is_facilitator=False):
            for question in own:
                if question.author_id != user.pk:
                    exclusion |= Q(airtime_id=airtime.pk, reply__path__startswith=question.path)
    return exclusion or None


def _filtered(documents, filters: Filters):
    if filters.round is not None:
        documents = documents.filter(round__number=filters.round)
    if filters.kind:
        documents = documents.filter(kind=filters.kind)
    if filters.author is not None:
        documents = documents.filter(author_id=filters.author)
    if filters.since is not None:
        documents = documents.filter(created_at__gte=_start_of(filters.since))
    if filters.until is not None:
        documents = documents.filter(created_at__lt=_start_of(filters.until + timedelta(days=1)))
    return documents


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _hit(row: dict, results: Results, prefix: str) -> Hit:
    slug = row["action_set__slug"]
    if row["kind"] == SearchDocument.JOURNAL:
        url = reverse("actionsets:journal_entry", kwargs={"set_slug": slug, "entry_id": row["journal_entry_id"]})
        title = row["title"] or f"Journal entry, {timezone.localtime(row['created_at']):%d %B %Y}"
    elif row["reply_id"] is not None:
        url = f"{_thread_url(prefix, slug, row['airtime_id'])}#reply-{row['reply_id']}"
        title = f"On “{row['airtime__title']}”"
    else:
        url = _thread_url(prefix, slug, row["airtime_id"])
        title = row["title"]
    return Hit(
        url=url, title=title, snippet=highlighted(row["snippet"], row["head"]),
        kind_label=KIND_LABELS.get(row["kind"], "Journal"), set_name=row["action_set__name"],
        round=results.round_numbers.get(row["round_id"]),
        author_name=row["author__display_name"] or row["author__email"].split("@")[0],
        created_at=row["created_at"], hidden=row["hidden"],
    )

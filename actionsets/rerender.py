"""Re-render every stored markdown field with today's renderer.

HTML is rendered once, at save (DESIGN.md section 10), so a change of renderer — python-markdown
to cmark-gfm in issue 11 — leaves what was stored in the old renderer's shape until it is
rendered again. `rerender_all` does that for every *_html field: in batches by primary key, each
batch rendered first and then written in its own short statement (no long transaction holding
the write lock), writing only the rows whose HTML changed, so running it again changes nothing.
It is run by migration 0008 and by `manage.py rerender_posts` (after any later renderer change).
@mentions rendered at save are kept as they were (issue 14).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps as global_apps

from .markdown import mentioned_handles, render_stored
from .services.process import compose_review

BATCH_SIZE = 500


@dataclass(frozen=True)
class Target:
    model: str  # "app_label.ModelName"
    html_field: str
    sources: tuple[str, ...]  # the fields the markdown is made from
    compose: Callable[..., str] = lambda text: text  # their values → the markdown that was rendered


TARGETS = (
    Target("actionsets.Airtime", "body_html", ("body",)),
    Target("actionsets.Reply", "body_html", ("body",)),
    Target("actionsets.ActionSet", "ground_rules_html", ("ground_rules",)),
    Target("actionsets.GroundRulesVersion", "text_html", ("text",)),
    # report_back is already the joined text of its sections (services._compose_report).
    Target("actionsets.ActionCommitment", "report_back_html", ("report_back",)),
    Target("actionsets.Round", "review_summary_html", ("review_summary",)),
    Target("actionsets.JournalEntry", "body_html", ("body",)),
    Target("actionsets.CheckIn", "body_html", ("body",)),
    Target("actionsets.Introduction", "body_html", ("body",)),
    Target("actionsets.ProcessReview", "body_html", ("what_worked", "do_differently"), compose_review),
)


def rerender_all(*, apps=global_apps, batch_size: int = BATCH_SIZE, dry_run: bool = False,
                 progress: Callable[[str], None] = lambda line: None) -> dict[str, tuple[int, int]]:
    """Returns {model: (rows read, rows changed — or that would change, with dry_run)}."""
    counts = {}
    for target in TARGETS:
        model = apps.get_model(target.model)
        seen = changed = 0
        last_pk = 0
        while True:
            batch = list(model.objects.filter(pk__gt=last_pk).order_by("pk")
                         .only("pk", target.html_field, *target.sources)[:batch_size])
            if not batch:
                break
            last_pk = batch[-1].pk
            stale = []
            for row in batch:
                # The mentions rendered at save stay mentions (a former member's too): the handles
                # are read back from the stored HTML, not from today's members.
                kept = set(mentioned_handles(getattr(row, target.html_field) or ""))
                html = render_stored(target.compose(*(getattr(row, name) or "" for name in target.sources)),
                                     handles=kept)
                if html != getattr(row, target.html_field):
                    setattr(row, target.html_field, html)
                    stale.append(row)
            if stale and not dry_run:
                model.objects.bulk_update(stale, [target.html_field])
            seen, changed = seen + len(batch), changed + len(stale)
            progress(f"{target.model}.{target.html_field}: {seen:,} read, {changed:,} "
                     f"{'would change' if dry_run else 'changed'}")
        counts[target.model] = (seen, changed)
    return counts

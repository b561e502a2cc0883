#!/usr/bin/env python3
"""Renderer micro-benchmark: µs per KB of markdown, the old renderer (python-markdown, a copy
kept in bench/old_markdown.py for this comparison) against the new (cmark-gfm + nh3,
actionsets/markdown.py), on realistic posts (bench/texts.py) and on a pathological input.

    python bench/markdown_bench.py      # standalone
    make bench                          # also a batch job of the page benchmark (bench/pages.py JOBS)

The pathological input is a run of `[`: python-markdown is quadratic on it (about 5 s for 6,000),
so the old renderer is timed at 2,000 characters only; the new one at that size and at the
posting limit. Rendering needs no database: the rows report 0 queries.
"""

import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

OLD_PATHOLOGICAL_CHARS = 2_000


def _per_kb(render, text: str, *, repeat: int) -> float:
    """Best CPU µs per KB (1,000 UTF-8 bytes) over `repeat` renders: CPU time, so other processes
    on the machine do not count."""
    times = []
    for _ in range(repeat):
        started = time.process_time()
        render(text)
        times.append(time.process_time() - started)
    return min(times) * 1e6 / (len(text.encode()) / 1000)


def realistic_text() -> str:
    from bench import texts

    rng = random.Random(11)
    bodies = texts.reply_bodies(rng) + texts.airtime_bodies(rng)
    return "\n\n".join(bodies)


def measure(log=print) -> list[dict]:
    from django.conf import settings

    from actionsets.markdown import render_markdown
    from bench.old_markdown import render_markdown as old_render

    realistic = realistic_text()
    limit = settings.MARKDOWN_MAX_CHARS
    cases = [
        ("markdown-realistic", f"realistic posts ({len(realistic) / 1000:.0f} KB)",
         old_render, render_markdown, realistic, realistic, 20),
        ("markdown-pathological", f"{OLD_PATHOLOGICAL_CHARS:,} × '[' (old) / {limit:,} × '[' (new)",
         old_render, render_markdown, "[" * OLD_PATHOLOGICAL_CHARS, "[" * limit, 3),
    ]
    rows = []
    for key, label, old, new, old_text, new_text, repeat in cases:
        old_us = _per_kb(old, old_text, repeat=repeat)
        new_us = _per_kb(new, new_text, repeat=repeat)
        same_size = new_us if old_text == new_text else _per_kb(new, old_text, repeat=repeat)
        note = (f"old {old_us:,.0f} µs/KB, new {new_us:,.0f} µs/KB "
                f"(new at the old input's size: {same_size:,.0f} µs/KB; {old_us / same_size:,.1f}× faster)")
        log(f"  {label}: {note}")
        rows.append({"key": key, "label": f"renderer, {label}", "seconds": round(new_us * len(new_text.encode())
                     / 1000 / 1e6, 4), "queries": 0, "old_us_per_kb": round(old_us, 1),
                     "new_us_per_kb": round(new_us, 1), "new_us_per_kb_same_input": round(same_size, 1),
                     "note": note})
    return rows


def renderer_job(world: dict, log) -> list[dict]:
    """The page benchmark's batch job (bench/pages.py JOBS)."""
    return measure(log)


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("ACTIONSETS_TESTING", "1")  # no SECRET_KEY needed: nothing is served
    import django

    django.setup()
    for row in measure():
        print(f"{row['label']}: {row['note']}")

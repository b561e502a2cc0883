#!/usr/bin/env python3
"""Profile one benchmark page in-process with pyinstrument, on the benchmark's seeded database.

    python bench/profile.py thread-200            # after `python bench/run.py` has seeded
    python bench/profile.py set --smoke -n 50 --html /tmp/set.html

Same settings as the benchmark (DEBUG off, production storage), Django's test client, one
signed-in member; the first request is a warm-up and is not profiled.
"""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.run import configure_environment  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("page", help="a page key from bench/pages.py, e.g. thread-20, set, home")
    parser.add_argument("--smoke", action="store_true", help="profile on the smoke-size seed")
    parser.add_argument("-n", type=int, default=20, help="requests to profile (default 20)")
    parser.add_argument("--html", type=Path, help="write pyinstrument's HTML report here")
    args = parser.parse_args(argv)
    try:
        from pyinstrument import Profiler
    except ImportError:
        print("needs pyinstrument: pip install -e '.[dev]'", file=sys.stderr)
        return 2
    configure_environment(argparse.Namespace(smoke=args.smoke))
    import django

    django.setup()
    from django.core.management import call_command

    from bench import seed
    from bench.pages import PAGES
    from bench.run import sign_in

    call_command("collectstatic", interactive=False, verbosity=0)
    world = seed.describe(seed.SMOKE if args.smoke else seed.FULL)
    page = next(p for p in PAGES if p.key == args.page)
    client = sign_in(world)["clients"][page.as_user]
    path = page.path(world)
    client.get(path)
    profiler = Profiler(interval=0.0005)
    with profiler:
        for _ in range(args.n):
            assert client.get(path).status_code == 200
    if args.html:
        args.html.write_text(profiler.output_html())
        print(f"written {args.html}")
    else:
        print(profiler.output_text(unicode=True, color=False, show_all=bool(os.environ.get("PROFILE_ALL"))))
    return 0


if __name__ == "__main__":
    sys.exit(main())

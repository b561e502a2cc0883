"""Allocate a cohort's learners into sets from the shell: the same solver, plan and commit as
/manage/ (docs/allocation.md).

    python manage.py allocate_cohort leading-change-2027 --size 6            # propose and print only
    python manage.py allocate_cohort leading-change-2027 --size 6 --commit   # create the sets, invite
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from actionsets.models import Cohort
from enrolment import services
from enrolment.services.allocations import SCOPES, propose

from .import_cohort import Command as ImportCommand


class Command(BaseCommand):
    help = "Propose (default) or commit (--commit) an allocation of a cohort's learners into sets."

    def add_arguments(self, parser):
        parser.add_argument("cohort", help="the cohort's slug")
        parser.add_argument("--size", type=int, default=6, help="learners per set, 5 to 8 (default 6)")
        parser.add_argument("--span-hours", type=float, default=3.0,
                            help="widest time-zone gap within a set, in hours (default 3; negative: no limit)")
        parser.add_argument("--scope", choices=sorted(SCOPES), default="unplaced",
                            help="unplaced: learners in no set yet (default); all: every learner (moves the placed)")
        parser.add_argument("--facilitators-per-set", type=int, default=1)
        parser.add_argument("--time-limit", type=float, default=None, help="seconds for the solver")
        parser.add_argument("--commit", action="store_true", help="create the sets and memberships, send invitations")
        parser.add_argument("--actor", help="staff email recorded as who did it (default: the first superuser)")

    def handle(self, *args, **options):
        cohort = Cohort.objects.filter(slug=options["cohort"]).first()
        if cohort is None:
            raise CommandError(f"No cohort with slug {options['cohort']!r}.")
        choice = services.AllocationOptions(
            size=options["size"], span_hours=None if options["span_hours"] < 0 else options["span_hours"],
            scope=options["scope"], facilitators_per_set=options["facilitators_per_set"],
            time_limit=options["time_limit"] or settings.ALLOCATION_TIME_LIMIT)
        try:
            if not options["commit"]:
                self._report(propose(cohort=cohort, options=choice))
                self.stdout.write("Proposal only: nothing was saved. Run again with --commit to create the sets.")
                return
            actor = ImportCommand()._actor(options["actor"])
            allocation = services.preview_allocation(cohort=cohort, actor=actor, options=choice)
            self._report(allocation.plan)
            allocation = services.commit_allocation(allocation=allocation, actor=actor)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        result = allocation.result
        self.stdout.write(self.style.SUCCESS(
            f"Committed allocation {allocation.pk}: {result['sets']} sets, {result['memberships']} memberships "
            f"({result['moved']} moved, {len(result['skipped'])} left out); invitations are on their way."))

    def _report(self, plan: dict) -> None:
        learners = sum(len(s["learners"]) for s in plan["sets"])
        sizes = sorted({len(s["learners"]) for s in plan["sets"]})
        self.stdout.write(f"{learners} learners in {len(plan['sets'])} sets (sizes {', '.join(map(str, sizes))}); "
                          f"solved in {plan['solver']['seconds']} s ({plan['solver']['blocks']} blocks: "
                          f"{', '.join(f'{n} {status}' for status, n in plan['solver']['statuses'].items())}).")
        costs = plan["costs"]
        self.stdout.write(f"Score {sum(costs.values())}: " + ", ".join(f"{name} {cost}" for name, cost in costs.items()))
        for found in plan["diagnosis"]:
            self.stderr.write(f"Cannot be met — {found['label']}: {found['message']}")
        for found in plan["unmet"][:50]:
            self.stderr.write(f"Unmet — {found['label']}: {found['message']}")
        if len(plan["unmet"]) > 50:
            self.stderr.write(f"… and {len(plan['unmet']) - 50} more unmet.")

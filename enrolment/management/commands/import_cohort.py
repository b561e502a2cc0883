"""Enrol a cohort from a CSV file, from the shell: the same checks and commit as /manage/.

    python manage.py import_cohort people.csv --cohort leading-change-2027            # preview only
    python manage.py import_cohort people.csv --cohort leading-change-2027 --commit   # apply
"""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from actionsets.models import Cohort
from enrolment import services
from enrolment.services.batches import plan_file


class Command(BaseCommand):
    help = "Preview (default) or commit (--commit) an enrolment CSV for a cohort."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--cohort", required=True, help="the cohort's slug")
        parser.add_argument("--commit", action="store_true", help="apply the valid rows and send invitations")
        parser.add_argument("--create-sets", action="store_true", help="create sets named in the file that don't exist")
        parser.add_argument("--allocate-later", action="store_true",
                            help="people with an empty set cell join the cohort to be allocated (allocate_cohort)")
        parser.add_argument("--actor", help="staff email recorded as who did it (default: the first superuser)")

    def handle(self, *args, **options):
        cohort = Cohort.objects.filter(slug=options["cohort"]).first()
        if cohort is None:
            raise CommandError(f"No cohort with slug {options['cohort']!r}.")
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        if path.stat().st_size > settings.ENROLMENT_MAX_UPLOAD_BYTES:
            raise CommandError(f"{path} is over the {settings.ENROLMENT_MAX_UPLOAD_BYTES // 1024 // 1024} MB limit.")
        data = path.read_bytes()
        if not options["commit"]:
            plan = plan_file(cohort=cohort, data=data, create_sets=options["create_sets"],
                             allocate_later=options["allocate_later"])
            self._report(plan)
            self.stdout.write("Preview only: nothing was saved. Run again with --commit to apply.")
            return
        actor = self._actor(options["actor"])
        batch = services.preview_enrolment(cohort=cohort, uploaded_by=actor, data=data, filename=path.name,
                                           create_sets=options["create_sets"], source="command",
                                           allocate_later=options["allocate_later"])
        self._report(batch.plan)
        if batch.plan["file_errors"]:
            raise CommandError("The file could not be used; nothing was saved.")
        try:
            batch = services.commit_enrolment(batch=batch, actor=actor)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(self.style.SUCCESS(
            f"Committed batch {batch.pk}: {batch.result['new_memberships']} new memberships, "
            f"{batch.result['new_users']} new people invited, {len(batch.result['created_sets'])} sets created."))

    def _actor(self, email: str | None) -> User:
        users = User.objects.filter(is_active=True, is_staff=True)
        actor = users.filter(email__iexact=email).first() if email else users.filter(is_superuser=True).order_by("pk").first()
        if actor is None:
            raise CommandError("Name an active staff account with --actor EMAIL: it is recorded in the staff log.")
        return actor

    def _report(self, plan: dict) -> None:
        for error in plan["file_errors"]:
            where = f"row {error['row']}" + (f", column {error['column']}" if error["column"] else "") if error["row"] else "file"
            self.stderr.write(f"{where}: {error['message']}")
        if plan["file_errors"]:
            return
        self.stdout.write(f"Read as {plan['encoding']}, separator {plan['delimiter']}.")
        for note in plan["notes"]:
            self.stdout.write(f"Note: {note}")
        for row in plan["rows"]:
            for error in row["errors"]:
                self.stderr.write(f"row {error['row']}, column {error['column']}: {error['message']}")
        totals = plan["totals"]
        self.stdout.write(
            f"{totals['rows']} rows: {totals['new_memberships']} new memberships ({totals['new_users']} new people, "
            f"{totals['existing_users']} existing), {totals['already_enrolled']} already enrolled, "
            f"{totals['duplicates']} duplicates, {totals['errors']} with errors, {totals['new_sets']} new sets"
            + (f", {totals['to_allocate']} to allocate later." if totals.get("to_allocate") else "."))

"""Existing content meets the phased set process.

- Questions from before phases become clarifying or probing by when they were asked: within the
  clarifying window (48 h, the default every existing round has) after the airtime was presented
  → clarifying; later → probing. The `question` value stays readable for anything not migrated.
- A facilitator's `summary` becomes a `process_note`: `summary` is now the presenter's own
  "what I now see differently".
- Each set's existing ground rules become version 1, adopted; members who had accepted them are
  recorded as accepting version 1, so nobody is asked to accept again.

Set-based UPDATEs, so the migration costs a handful of queries whatever the number of replies.
Reversible: the kinds go back to their nearest old kind and the versions are removed.
"""

from datetime import timedelta

from django.db import migrations
from django.db.models import Exists, F, OuterRef

CLARIFYING_WINDOW = timedelta(hours=48)


def _facilitator_author(Membership):
    return Exists(Membership.objects.filter(
        action_set=OuterRef("airtime__action_set"), user=OuterRef("author"), role="facilitator"
    ))


def forwards(apps, schema_editor):
    Reply = apps.get_model("actionsets", "Reply")
    Membership = apps.get_model("actionsets", "Membership")
    ActionSet = apps.get_model("actionsets", "ActionSet")
    Version = apps.get_model("actionsets", "GroundRulesVersion")
    questions = Reply.objects.filter(kind="question")
    questions.filter(created_at__lt=F("airtime__created_at") + CLARIFYING_WINDOW).update(kind="clarifying")
    questions.update(kind="probing")
    Reply.objects.filter(kind="summary").filter(_facilitator_author(Membership)).update(kind="process_note")
    for action_set in ActionSet.objects.exclude(ground_rules="").filter(rules_version__isnull=True).iterator():
        version = Version.objects.create(
            action_set=action_set, number=1, text=action_set.ground_rules, text_html=action_set.ground_rules_html,
            note="The ground rules as they were when versions began.", created_at=action_set.created_at,
            adopted_at=action_set.created_at,
        )
        ActionSet.objects.filter(pk=action_set.pk).update(rules_version=version)
        Membership.objects.filter(action_set=action_set, ground_rules_accepted_at__isnull=False).update(
            ground_rules_version=version
        )


def backwards(apps, schema_editor):
    Reply = apps.get_model("actionsets", "Reply")
    Membership = apps.get_model("actionsets", "Membership")
    ActionSet = apps.get_model("actionsets", "ActionSet")
    Version = apps.get_model("actionsets", "GroundRulesVersion")
    # Kinds that did not exist before map to their nearest old kind.
    Reply.objects.filter(kind__in=["clarifying", "probing", "reflect_back"]).update(kind="question")
    Reply.objects.filter(kind="process_note").update(kind="summary")
    Reply.objects.filter(kind="offer").update(kind="reflection")
    Reply.objects.filter(kind="action").update(kind="response")
    Membership.objects.update(ground_rules_version=None)
    ActionSet.objects.update(rules_version=None)
    Version.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("actionsets", "0004_set_process")]

    operations = [migrations.RunPython(forwards, backwards)]

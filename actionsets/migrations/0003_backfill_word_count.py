"""Backfill word_count on airtimes and replies written before the field existed.

The regex is copied here (not imported from services) so this migration keeps meaning the same
thing if the live helper changes later. Rows are walked in primary-key batches and updated with
bulk_update, so memory stays flat on a large database.
"""

import re

from django.db import migrations

WORD_RE = re.compile(r"[\w'’-]*\w[\w'’-]*")
BATCH = 500


def _backfill(model) -> None:
    last_pk = 0
    while True:
        rows = list(model.objects.filter(pk__gt=last_pk).order_by("pk").only("pk", "body")[:BATCH])
        if not rows:
            return
        for row in rows:
            row.word_count = len(WORD_RE.findall(row.body or ""))
        model.objects.bulk_update(rows, ["word_count"])
        last_pk = rows[-1].pk


def backfill(apps, schema_editor):
    _backfill(apps.get_model("actionsets", "Airtime"))
    _backfill(apps.get_model("actionsets", "Reply"))


class Migration(migrations.Migration):
    dependencies = [("actionsets", "0002_word_count")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]

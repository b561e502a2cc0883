# Stores the advice heuristic's verdict on each reply (decided at save time from now on) and
# fills it in for existing replies with the same function `manage.py recount_advice_signals` uses.

from django.db import migrations, models


def backfill(apps, schema_editor):
    from actionsets.advice import recount_advice_signals

    recount_advice_signals(reply_model=apps.get_model("actionsets", "Reply"))


class Migration(migrations.Migration):

    dependencies = [
        ('actionsets', '0005_reply_kinds_and_rules_versions'),
    ]

    operations = [
        migrations.AddField(
            model_name='reply',
            name='has_advice_signal',
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]

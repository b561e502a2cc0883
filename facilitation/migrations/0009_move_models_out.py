"""The moderation log moved to actionsets and the engagement engine's models to engagement.

State only: the tables stay where they are, under their old names (each moved model sets
`db_table`), and are taken over by actionsets 0008 and engagement 0001. No data moves.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("facilitation", "0001_squashed_0008"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Nudge"),
                migrations.DeleteModel(name="DigestDelivery"),
                migrations.DeleteModel(name="OutboundEmail"),
                migrations.DeleteModel(name="ModerationAction"),
            ],
            database_operations=[],
        ),
    ]

"""State only: this model moved here from facilitation; its table kept its name (see
facilitation 0009). Nothing is created in the database."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('facilitation', '0009_move_models_out'),
        ('actionsets', '0009_rerender_markdown_with_cmark'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
            migrations.CreateModel(
                name='ModerationAction',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('action', models.CharField(max_length=20)),
                    ('target_type', models.CharField(max_length=40)),
                    ('target_id', models.PositiveBigIntegerField()),
                    ('reason', models.CharField(blank=True, max_length=500)),
                    ('detail', models.JSONField(blank=True, default=dict)),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                    ('action_set', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='actionsets.actionset')),
                    ('actor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'db_table': 'facilitation_moderationaction',
                    'ordering': ['-created_at'],
                    'indexes': [models.Index(fields=['action_set', 'created_at'], name='facilitatio_action__894250_idx')],
                },
            ),
            ],
        ),
    ]

"""State only: this model moved here from facilitation; its table kept its name (see
facilitation 0009). Nothing is created in the database."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('facilitation', '0009_move_models_out'),
        ('actionsets', '0010_moderationaction'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
            migrations.CreateModel(
                name='OutboundEmail',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('to', models.EmailField(max_length=254)),
                    ('subject', models.CharField(max_length=300)),
                    ('body_text', models.TextField()),
                    ('body_html', models.TextField(blank=True)),
                    ('headers', models.JSONField(blank=True, default=dict)),
                    ('message_id', models.CharField(max_length=200, unique=True)),
                    ('category', models.CharField(blank=True, max_length=40)),
                    ('status', models.CharField(choices=[('pending', 'Pending'), ('sent', 'Sent'), ('failed', 'Failed (gave up)')], default='pending', max_length=8)),
                    ('attempts', models.PositiveSmallIntegerField(default=0)),
                    ('last_error', models.TextField(blank=True)),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                    ('next_attempt_at', models.DateTimeField(default=django.utils.timezone.now)),
                    ('sent_at', models.DateTimeField(blank=True, null=True)),
                    ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'db_table': 'facilitation_outboundemail',
                    'ordering': ['created_at'],
                },
            ),
            migrations.CreateModel(
                name='Nudge',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kind', models.CharField(choices=[('quiet_member', 'Quiet member'), ('quiet_escalation', 'Quiet member (told the facilitator)'), ('unanswered_airtime', 'Unanswered airtime'), ('questions_waiting', 'Questions waiting'), ('report_back_due', 'Report-back due'), ('round_closing', 'Round closing in 24 h'), ('round_open', 'Round open')], max_length=20)),
                    ('period', models.CharField(max_length=80)),
                    ('sent_at', models.DateTimeField(default=django.utils.timezone.now)),
                    ('about_user', models.ForeignKey(blank=True, help_text='For escalations: the quiet member the facilitator is told about.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('action_set', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='nudges', to='actionsets.actionset')),
                    ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='nudges', to=settings.AUTH_USER_MODEL)),
                    ('email', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='nudges', to='engagement.outboundemail')),
                ],
                options={
                    'db_table': 'facilitation_nudge',
                    'ordering': ['-sent_at'],
                },
            ),
            migrations.CreateModel(
                name='DigestDelivery',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('frequency', models.CharField(max_length=8)),
                    ('period_start', models.DateTimeField()),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                    ('item_count', models.PositiveIntegerField(default=0)),
                    ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='digest_deliveries', to=settings.AUTH_USER_MODEL)),
                    ('email', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='digest_delivery', to='engagement.outboundemail')),
                ],
                options={
                    'verbose_name_plural': 'digest deliveries',
                    'db_table': 'facilitation_digestdelivery',
                },
            ),
            migrations.AddIndex(
                model_name='outboundemail',
                index=models.Index(fields=['status', 'created_at'], name='facilitatio_status_b32822_idx'),
            ),
            migrations.AddIndex(
                model_name='outboundemail',
                index=models.Index(fields=['status', 'next_attempt_at'], name='outbox_pending_due'),
            ),
            migrations.AddIndex(
                model_name='nudge',
                index=models.Index(fields=['action_set', 'sent_at'], name='facilitatio_action__621d3d_idx'),
            ),
            migrations.AddConstraint(
                model_name='nudge',
                constraint=models.UniqueConstraint(fields=('user', 'action_set', 'kind', 'period'), name='nudge_once_per_period'),
            ),
            migrations.AddConstraint(
                model_name='digestdelivery',
                constraint=models.UniqueConstraint(fields=('user', 'frequency', 'period_start'), name='digest_once_per_period'),
            ),
            ],
        ),
    ]

"""Facilitation's first migrations, squashed before the first release (they replace 0001–0008:
three 0002s, three merges and four that only changed the moderation log's choice list, which
no longer lives on the field). The state is the app as 0008 left it; 0009 then hands the
moderation log to actionsets and the engine's models to engagement, keeping their tables.
A database that applied the replaced migrations counts this one as applied.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

SCHEME = "Action learning discourse"
CODES = [
    (
        "questioning-insight",
        "Questioning insight",
        "An open question that helped the presenter see the issue differently.",
    ),
    ("advice-giving", "Advice-giving", "Telling the presenter what to do, including advice phrased as a question."),
    ("reflexive-turn", "Reflexive turn", "The writer turns to their own practice, assumptions or feelings."),
    ("assumption-surfaced", "Assumption surfaced", "An assumption behind the issue is named and looked at."),
    ("action-formed", "Action formed", "A concrete next step takes shape (what, by when, how they will know)."),
    ("emotional-support", "Emotional support", "Acknowledging feelings, encouraging, thanking."),
]


def create_default(apps, schema_editor):
    CodingScheme = apps.get_model("facilitation", "CodingScheme")
    Code = apps.get_model("facilitation", "Code")
    if CodingScheme.objects.filter(is_default=True).exists():
        return
    scheme, _ = CodingScheme.objects.get_or_create(
        name=SCHEME,
        defaults={
            "is_default": True,
            "description": "The default codes facilitators use to annotate replies. Private to facilitators.",
        },
    )
    for position, (slug, label, description) in enumerate(CODES):
        Code.objects.get_or_create(
            scheme=scheme, slug=slug, defaults={"label": label, "description": description, "position": position}
        )


def remove_default(apps, schema_editor):
    CodingScheme = apps.get_model("facilitation", "CodingScheme")
    Annotation = apps.get_model("facilitation", "Annotation")
    scheme = CodingScheme.objects.filter(name=SCHEME).first()
    if scheme and not Annotation.objects.filter(code__scheme=scheme).exists():
        scheme.delete()


class Migration(migrations.Migration):
    replaces = [
        ("facilitation", "0001_initial"),
        ("facilitation", "0002_alter_moderationaction_action"),
        ("facilitation", "0002_engagement_engine"),
        ("facilitation", "0002_moderation_actions_for_flags_and_annotations"),
        ("facilitation", "0003_default_coding_scheme"),
        ("facilitation", "0004_merge_20261124_1429"),
        ("facilitation", "0004_set_process_actions"),
        ("facilitation", "0005_moderation_action_choices"),
        ("facilitation", "0006_merge_20261124_1438"),
        ("facilitation", "0007_merge_20261124_1451"),
        ("facilitation", "0008_moderation_action_choices_all"),
    ]

    initial = True

    dependencies = [
        ("actionsets", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="CodingScheme",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=120, unique=True)),
                ("description", models.TextField(blank=True)),
                ("is_default", models.BooleanField(default=False)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("is_default", True)), fields=("is_default",), name="one_default_scheme"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Code",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("slug", models.SlugField(max_length=60)),
                ("label", models.CharField(max_length=80)),
                ("description", models.CharField(blank=True, max_length=300)),
                ("position", models.PositiveSmallIntegerField(default=0)),
                (
                    "scheme",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="codes",
                        to="facilitation.codingscheme",
                    ),
                ),
            ],
            options={
                "ordering": ["scheme", "position", "label"],
            },
        ),
        migrations.CreateModel(
            name="Flag",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("reason", models.CharField(max_length=500)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("resolved_at", models.DateTimeField(blank=True, null=True)),
                (
                    "outcome",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("kept", "Kept: no action needed"),
                            ("hidden", "Reply hidden"),
                            ("edited", "Reply edited"),
                        ],
                        max_length=8,
                    ),
                ),
                ("resolution_note", models.CharField(blank=True, max_length=500)),
                (
                    "flagged_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
                (
                    "reply",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="flags", to="actionsets.reply"
                    ),
                ),
                (
                    "resolved_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["created_at"],
            },
        ),
        migrations.CreateModel(
            name="Annotation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("note", models.CharField(blank=True, max_length=1000)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "facilitator",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
                (
                    "reply",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="annotations", to="actionsets.reply"
                    ),
                ),
                (
                    "code",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="annotations", to="facilitation.code"
                    ),
                ),
            ],
            options={
                "ordering": ["created_at"],
                "constraints": [
                    models.UniqueConstraint(fields=("reply", "code", "facilitator"), name="one_annotation_per_code")
                ],
            },
        ),
        migrations.AddConstraint(
            model_name="code",
            constraint=models.UniqueConstraint(fields=("scheme", "slug"), name="code_slug_unique_in_scheme"),
        ),
        migrations.AddConstraint(
            model_name="flag",
            constraint=models.UniqueConstraint(
                condition=models.Q(("resolved_at__isnull", True)),
                fields=("reply", "flagged_by"),
                name="one_open_flag_per_member",
            ),
        ),
        migrations.CreateModel(
            name="ModerationAction",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("action", models.CharField(max_length=20)),
                ("target_type", models.CharField(max_length=40)),
                ("target_id", models.PositiveBigIntegerField()),
                ("reason", models.CharField(blank=True, max_length=500)),
                ("detail", models.JSONField(blank=True, default=dict)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "action_set",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="actionsets.actionset",
                    ),
                ),
                (
                    "actor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
            ],
            options={
                "db_table": "facilitation_moderationaction",
                "ordering": ["-created_at"],
                "indexes": [models.Index(fields=["action_set", "created_at"], name="facilitatio_action__894250_idx")],
            },
        ),
        migrations.CreateModel(
            name="OutboundEmail",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("to", models.EmailField(max_length=254)),
                ("subject", models.CharField(max_length=300)),
                ("body_text", models.TextField()),
                ("body_html", models.TextField(blank=True)),
                ("headers", models.JSONField(blank=True, default=dict)),
                ("message_id", models.CharField(max_length=200, unique=True)),
                ("category", models.CharField(blank=True, max_length=40)),
                (
                    "status",
                    models.CharField(
                        choices=[("pending", "Pending"), ("sent", "Sent"), ("failed", "Failed (gave up)")],
                        default="pending",
                        max_length=8,
                    ),
                ),
                ("attempts", models.PositiveSmallIntegerField(default=0)),
                ("last_error", models.TextField(blank=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("next_attempt_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("sent_at", models.DateTimeField(blank=True, null=True)),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "db_table": "facilitation_outboundemail",
                "ordering": ["created_at"],
            },
        ),
        migrations.CreateModel(
            name="Nudge",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("quiet_member", "Quiet member"),
                            ("quiet_escalation", "Quiet member (told the facilitator)"),
                            ("unanswered_airtime", "Unanswered airtime"),
                            ("questions_waiting", "Questions waiting"),
                            ("report_back_due", "Report-back due"),
                            ("round_closing", "Round closing in 24 h"),
                            ("round_open", "Round open"),
                        ],
                        max_length=20,
                    ),
                ),
                ("period", models.CharField(max_length=80)),
                ("sent_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "about_user",
                    models.ForeignKey(
                        blank=True,
                        help_text="For escalations: the quiet member the facilitator is told about.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "action_set",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="nudges", to="actionsets.actionset"
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="nudges", to=settings.AUTH_USER_MODEL
                    ),
                ),
                (
                    "email",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="nudges",
                        to="facilitation.outboundemail",
                    ),
                ),
            ],
            options={
                "db_table": "facilitation_nudge",
                "ordering": ["-sent_at"],
            },
        ),
        migrations.CreateModel(
            name="DigestDelivery",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("frequency", models.CharField(max_length=8)),
                ("period_start", models.DateTimeField()),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("item_count", models.PositiveIntegerField(default=0)),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="digest_deliveries",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "email",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="digest_delivery",
                        to="facilitation.outboundemail",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "digest deliveries",
                "db_table": "facilitation_digestdelivery",
            },
        ),
        migrations.AddIndex(
            model_name="outboundemail",
            index=models.Index(fields=["status", "created_at"], name="facilitatio_status_b32822_idx"),
        ),
        migrations.AddIndex(
            model_name="outboundemail",
            index=models.Index(fields=["status", "next_attempt_at"], name="outbox_pending_due"),
        ),
        migrations.AddIndex(
            model_name="nudge",
            index=models.Index(fields=["action_set", "sent_at"], name="facilitatio_action__621d3d_idx"),
        ),
        migrations.AddConstraint(
            model_name="nudge",
            constraint=models.UniqueConstraint(
                fields=("user", "action_set", "kind", "period"), name="nudge_once_per_period"
            ),
        ),
        migrations.AddConstraint(
            model_name="digestdelivery",
            constraint=models.UniqueConstraint(
                fields=("user", "frequency", "period_start"), name="digest_once_per_period"
            ),
        ),
        migrations.RunPython(create_default, remove_default),
    ]

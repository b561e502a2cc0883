"""Ship the default discourse coding scheme (docs/facilitation.md).

Admins edit schemes and codes in the admin afterwards; this only creates the default once and
leaves an edited scheme alone if it already exists.
"""

from django.db import migrations

SCHEME = "Action learning discourse"
CODES = [
    ("questioning-insight", "Questioning insight",
     "An open question that helped the presenter see the issue differently."),
    ("advice-giving", "Advice-giving",
     "Telling the presenter what to do, including advice phrased as a question."),
    ("reflexive-turn", "Reflexive turn",
     "The writer turns to their own practice, assumptions or feelings."),
    ("assumption-surfaced", "Assumption surfaced",
     "An assumption behind the issue is named and looked at."),
    ("action-formed", "Action formed",
     "A concrete next step takes shape (what, by when, how they will know)."),
    ("emotional-support", "Emotional support",
     "Acknowledging feelings, encouraging, thanking."),
]


def create_default(apps, schema_editor):
    CodingScheme = apps.get_model("facilitation", "CodingScheme")
    Code = apps.get_model("facilitation", "Code")
    if CodingScheme.objects.filter(is_default=True).exists():
        return
    scheme, _ = CodingScheme.objects.get_or_create(
        name=SCHEME,
        defaults={"is_default": True,
                  "description": "The default codes facilitators use to annotate replies. Private to facilitators."},
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
    dependencies = [("facilitation", "0002_moderation_actions_for_flags_and_annotations")]

    operations = [migrations.RunPython(create_default, remove_default)]

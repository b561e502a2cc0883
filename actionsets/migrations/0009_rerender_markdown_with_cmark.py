"""Re-render every stored markdown field with cmark-gfm (issue 11): the same code as
`manage.py rerender_posts`, on the historical models. Not atomic: each batch commits on its own,
so a large installation never holds one long write transaction."""

from django.db import migrations


def rerender(apps, schema_editor):
    from actionsets.rerender import rerender_all

    rerender_all(apps=apps)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("actionsets", "0008_membership_facilitator_since"),
    ]

    operations = [
        migrations.RunPython(rerender, migrations.RunPython.noop, elidable=True),
    ]

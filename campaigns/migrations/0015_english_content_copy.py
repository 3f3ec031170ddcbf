"""The texts so far are Chinese: they are copied into the Chinese columns, and the English
ones stay empty (the English site shows the Chinese until staff add English). The original
columns keep the same text."""

from django.db import migrations
from django.db.models import F

TRANSLATED = {
    "campaign": ("title", "slogan", "intro", "pledge"),
    "theme": ("name", "tagline", "description"),
    "themeitem": ("name", "audience", "description"),
    "activity": ("title", "summary", "description", "eligibility", "rules"),
    "session": ("title", "venue"),
}


def copy_into_chinese(apps, schema_editor):
    for model_name, fields in TRANSLATED.items():
        model = apps.get_model("campaigns", model_name)
        model.objects.update(**{f"{field}_zh_hans": F(field) for field in fields})


def copy_back_from_chinese(apps, schema_editor):
    """Back to one language: what staff changed in Chinese since is kept."""
    for model_name, fields in TRANSLATED.items():
        model = apps.get_model("campaigns", model_name)
        for field in fields:
            model.objects.filter(**{f"{field}_zh_hans__isnull": False}).update(
                **{field: F(f"{field}_zh_hans")}
            )


class Migration(migrations.Migration):

    dependencies = [
        ("campaigns", "0014_english_content"),
    ]

    operations = [
        migrations.RunPython(copy_into_chinese, copy_back_from_chinese, elidable=False),
    ]

"""The tasks' texts so far are Chinese: they are copied into the Chinese columns; the
English ones stay empty."""

from django.db import migrations
from django.db.models import F

FIELDS = ("title", "instructions")


def copy_into_chinese(apps, schema_editor):
    apps.get_model("officers", "experiencetask").objects.update(
        **{f"{field}_zh_hans": F(field) for field in FIELDS}
    )


def copy_back_from_chinese(apps, schema_editor):
    model = apps.get_model("officers", "experiencetask")
    for field in FIELDS:
        model.objects.filter(**{f"{field}_zh_hans__isnull": False}).update(
            **{field: F(f"{field}_zh_hans")}
        )


class Migration(migrations.Migration):

    dependencies = [
        ("officers", "0007_english_content"),
    ]

    operations = [
        migrations.RunPython(copy_into_chinese, copy_back_from_chinese, elidable=False),
    ]

from django.db import migrations


class Migration(migrations.Migration):
    """The partial index of unanswered cases serves every query by deadline (see the model)."""

    dependencies = [
        ("feedback", "0010_escalated_open_index"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="feedback",
            name="feedback_reply_due",
        ),
    ]

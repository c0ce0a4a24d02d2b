from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("deploycheck", "0003_triggered_by_username"),
    ]

    operations = [
        migrations.AddField(
            model_name="checkresult",
            name="wording",
            field=models.JSONField(blank=True, default=dict, verbose_name="wording"),
        ),
    ]

from django.db import migrations, models


class Migration(migrations.Migration):
    """One index on (heroku_app, started_at, id) in place of the one on heroku_app alone: an app's
    latest runs and a run's neighbours are read from it without reading the whole history."""

    dependencies = [
        ("deploycheck", "0004_wording"),
    ]

    operations = [
        migrations.AlterField(
            model_name="checkrun",
            name="heroku_app",
            field=models.CharField(blank=True, max_length=100, verbose_name="Heroku app"),
        ),
        migrations.AddIndex(
            model_name="checkrun",
            index=models.Index(fields=["heroku_app", "started_at", "id"], name="deploycheck_app_history"),
        ),
    ]

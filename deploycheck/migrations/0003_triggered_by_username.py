from typing import Any

from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.conf import settings
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

# Who started a run becomes text: the username, which needs no user table and outlives the user.
# The user key exists only where the user model's app is installed (see 0001): only there is
# there a key to turn into text; everywhere else this migration just adds the text field.
USER_MODEL_INSTALLED = settings.AUTH_USER_MODEL.partition('.')[0] in global_apps.app_configs
USERNAME_LENGTH = 254


def username_field(user_model: type[models.Model]) -> str | None:
    # A historical model has no USERNAME_FIELD: ask today's model, and check the field is there.
    name = getattr(global_apps.get_model(settings.AUTH_USER_MODEL), 'USERNAME_FIELD', 'username')
    return name if any(field.name == name for field in user_model._meta.fields) else None


def runs_and_users(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> tuple[Any, Any, str | None]:
    """The runs, the users and the users' username field, on the database being migrated."""
    CheckRun: Any = apps.get_model('deploycheck', 'CheckRun')  # historical: still has the key
    User = apps.get_model(settings.AUTH_USER_MODEL)
    alias = schema_editor.connection.alias
    return CheckRun._base_manager.using(alias), User._base_manager.using(alias), username_field(User)


def copy_usernames(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Each run keeps the username of the user who started it; a deleted user leaves it empty."""
    runs, users, field = runs_and_users(apps, schema_editor)
    if field is None:
        return
    user_ids = runs.exclude(triggered_by_user=None).order_by().values('triggered_by_user').distinct()
    for user_id, username in users.filter(pk__in=user_ids).values_list('pk', field):
        runs.filter(triggered_by_user=user_id).update(triggered_by=str(username)[:USERNAME_LENGTH])


def copy_users_back(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Back to the key, for the usernames that still name a user."""
    runs, users, field = runs_and_users(apps, schema_editor)
    if field is None:
        return
    usernames = list(runs.exclude(triggered_by='').order_by().values_list('triggered_by', flat=True).distinct())
    for user_id, username in users.filter(**{f'{field}__in': usernames}).values_list('pk', field):
        runs.filter(triggered_by=str(username)).update(triggered_by_user=user_id)


add_text_field = migrations.AddField(
    model_name='checkrun',
    name='triggered_by',
    field=models.CharField(blank=True, max_length=USERNAME_LENGTH, verbose_name='triggered by'),
)


class Migration(migrations.Migration):

    dependencies = [
        ('deploycheck', '0002_overview'),
        *([migrations.swappable_dependency(settings.AUTH_USER_MODEL)] if USER_MODEL_INSTALLED else []),
    ]

    operations = [
        migrations.RenameField(model_name='checkrun', old_name='triggered_by', new_name='triggered_by_user'),
        add_text_field,
        migrations.RunPython(copy_usernames, copy_users_back, elidable=True),
        migrations.RemoveField(model_name='checkrun', name='triggered_by_user'),
    ] if USER_MODEL_INSTALLED else [add_text_field]

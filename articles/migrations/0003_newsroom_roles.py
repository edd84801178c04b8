"""Create the Reporter and Editor groups with the permissions each role needs.

Reporters write and submit stories and may add the officials they quote;
editors manage everything, publish, schedule and unpublish. What a reporter
may do with a particular story (only their own, only until published) is
decided per object in the admin.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REPORTER = {
    "articles": {
        "article": ["add", "change", "view", "preview"],
        "byline": ["add", "change", "delete", "view"],
        "quote": ["add", "change", "delete", "view"],
        "relatedlink": ["add", "change", "delete", "view"],
        "taggedarticle": ["add", "change", "delete", "view"],
        "image": ["add", "change", "view"],
        "category": ["view"],
        "correction": ["view"],
    },
    "people": {
        "author": ["view"],
        "official": ["add", "view"],
        "organisation": ["add", "view"],
    },
    "taggit": {"tag": ["add", "view"]},
}
EDITOR_APPS = ["articles", "people", "taggit"]
EXTRA_ARTICLE_PERMISSIONS = {"preview": "preview_article", "publish": "publish_article"}


def codename(action, model):
    return EXTRA_ARTICLE_PERMISSIONS.get(action) or f"{action}_{model}"


def create_roles(apps, schema_editor):
    # Permissions are normally created after migrations finish; the groups
    # need them now, on a database migrated from scratch.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    reporter, _ = Group.objects.get_or_create(name="Reporter")
    reporter_permissions = [
        Permission.objects.get(content_type__app_label=app, codename=codename(action, model))
        for app, models in REPORTER.items()
        for model, actions in models.items()
        for action in actions
    ]
    reporter.permissions.set(reporter_permissions)

    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.set(Permission.objects.filter(content_type__app_label__in=EDITOR_APPS))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Reporter", "Editor"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_workflow"),
        ("people", "0001_initial"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]

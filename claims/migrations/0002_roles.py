"""Create the desk roles (editor, reviewer) as groups with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def create_roles(apps, schema_editor):
    from claims.roles import EDITOR, EDITOR_PERMISSIONS, REVIEWER, REVIEWER_PERMISSIONS

    # Permissions are normally created after migrate; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ((EDITOR, EDITOR_PERMISSIONS), (REVIEWER, REVIEWER_PERMISSIONS)):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="claims", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]

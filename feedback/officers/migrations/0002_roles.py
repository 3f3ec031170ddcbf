from django.db import migrations

GRANTS = {
    # 审核员 reviews reports; 活动管理员 prepares and publishes tasks and can review too.
    "审核员": ["review_report", "view_experiencereport", "view_experiencetask"],
    "活动管理员": ["review_report", "view_experiencereport", "add_experiencetask",
                "change_experiencetask", "view_experiencetask"],
}


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("officers")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in GRANTS.items():
        permissions = Permission.objects.filter(content_type__app_label="officers",
                                                codename__in=codes)
        for group in Group.objects.filter(name=name):
            group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("officers", "0001_initial"),
        ("feedback", "0002_dashboard_roles"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]

"""Dashboard permissions and the three staff roles (auth groups).

The groups are created with exactly the permissions of their role; `campaigns.view_personal_data`
is deliberately given to none of them (it is assigned to a person, separately). Running the
migration again leaves the groups as described here; reversing removes the three groups.
"""

from django.db import migrations

# Group name → permissions ("app_label.codename"). Keep in sync with docs/dashboard.md.
ROLES = {
    # 活动管理员: activities and sessions, signups; sees how the campaign is going.
    "活动管理员": [
        "campaigns.view_campaign",
        "campaigns.view_theme",
        "campaigns.view_themeitem",
        "campaigns.add_activity",
        "campaigns.change_activity",
        "campaigns.view_activity",
        "campaigns.add_session",
        "campaigns.change_session",
        "campaigns.view_session",
        "campaigns.add_officerquota",
        "campaigns.change_officerquota",
        "campaigns.delete_officerquota",
        "campaigns.view_officerquota",
        "campaigns.view_signup",
        "campaigns.change_signup",
        "campaigns.view_auditentry",
        "feedback.view_dashboard",
    ],
    # 审核员: feedback moderation and replies, GM-reception cases, officer applications.
    "审核员": [
        "feedback.moderate_feedback",
        "feedback.view_feedback",
        "feedback.change_feedback",
        "feedback.view_reply",
        "feedback.view_feedbackevent",
        "feedback.add_replytemplate",
        "feedback.change_replytemplate",
        "feedback.view_replytemplate",
        "campaigns.view_receptioncase",
        "campaigns.change_receptioncase",
        "campaigns.view_officerapplication",
        "campaigns.change_officerapplication",
        "campaigns.view_officerquota",
        "campaigns.view_auditentry",
        "feedback.view_dashboard",
    ],
    # 数据分析员: the dashboard and the exports, personal data masked.
    "数据分析员": [
        "feedback.view_dashboard",
        "feedback.export_reports",
    ],
}


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after migrate; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        permissions = []
        for code in codes:
            app_label, codename = code.split(".")
            permissions.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("campaigns", "0002_signups"),
        ("feedback", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="feedback",
            options={
                "ordering": ["-created_at", "-id"],
                "permissions": [
                    ("moderate_feedback", "审核和回复体验反馈"),
                    ("view_dashboard", "查看数据看板和活动报告"),
                    ("export_reports", "导出反馈、报名和体验官报名报表"),
                ],
                "verbose_name": "体验反馈",
                "verbose_name_plural": "体验反馈",
            },
        ),
        migrations.RunPython(create_roles, remove_roles),
    ]

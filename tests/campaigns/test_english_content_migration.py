"""Adding the English columns keeps every text: what the campaign had becomes its Chinese,
the English stays empty (so the English site shows the Chinese until staff add English)."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("campaigns", "0013_weekly_report_sent"), ("officers", "0006_tasks_for_regions")]
AFTER = [("campaigns", "0015_english_content_copy"), ("officers", "0008_english_content_copy")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_texts_so_far_become_the_chinese_texts():
    apps = migrate(BEFORE)
    try:
        model = apps.get_model
        now = timezone.now()
        campaign = model("campaigns", "Campaign").objects.create(
            title="优质服务体验季", slogan="心级服务，优+体验", intro="简介", pledge="",
            starts_on=datetime.date(2026, 11, 1), ends_on=datetime.date(2026, 12, 31),
        )
        theme = model("campaigns", "Theme").objects.create(
            campaign=campaign, name="优+网络", slug="you-network", tagline="覆盖广",
        )
        model("campaigns", "ThemeItem").objects.create(theme=theme, name="5G网络",
                                                       audience="个人客户")
        model("campaigns", "ThemeItem").objects.create(theme=theme, name="千兆宽带")
        activity = model("campaigns", "Activity").objects.create(
            campaign=campaign, kind="officer", title="我是服务体验官", slug="officers",
            summary="招募", description="介绍", eligibility="年满18周岁", rules="",
        )
        model("campaigns", "Session").objects.create(
            activity=activity, title="直播", starts_at=now, ends_at=now + datetime.timedelta(1),
            is_online=True, capacity=10,
        )
        model("officers", "ExperienceTask").objects.create(
            programme=activity, title="地铁内5G上网体验", theme=theme, opens_at=now,
            closes_at=now + datetime.timedelta(days=1), instructions="早高峰视频通话",
            dimensions=["score_network"],
        )

        apps = migrate(AFTER)
        model = apps.get_model
        campaign = model("campaigns", "Campaign").objects.get()
        assert (campaign.title_zh_hans, campaign.slogan_zh_hans, campaign.intro_zh_hans,
                campaign.pledge_zh_hans) == ("优质服务体验季", "心级服务，优+体验", "简介", "")
        assert (campaign.title, campaign.title_en) == ("优质服务体验季", None)
        theme = model("campaigns", "Theme").objects.get()
        assert (theme.name_zh_hans, theme.tagline_zh_hans, theme.name_en) == (
            "优+网络", "覆盖广", None)
        items = model("campaigns", "ThemeItem").objects.order_by("id")
        assert [(i.name_zh_hans, i.audience_zh_hans, i.name_en) for i in items] == [
            ("5G网络", "个人客户", None), ("千兆宽带", "", None)]
        activity = model("campaigns", "Activity").objects.get()
        assert (activity.title_zh_hans, activity.summary_zh_hans, activity.description_zh_hans,
                activity.eligibility_zh_hans) == ("我是服务体验官", "招募", "介绍", "年满18周岁")
        assert model("campaigns", "Session").objects.get().title_zh_hans == "直播"
        task = model("officers", "ExperienceTask").objects.get()
        assert (task.title_zh_hans, task.instructions_zh_hans, task.title_en) == (
            "地铁内5G上网体验", "早高峰视频通话", None)

        # And back: the Chinese columns' text is the record's text again.
        model("campaigns", "Activity").objects.update(title_zh_hans="我是服务体验官 · 招募")
        apps = migrate(BEFORE)
        activity = apps.get_model("campaigns", "Activity").objects.get()
        assert activity.title == "我是服务体验官 · 招募"
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

"""The campaign's content in Chinese and English (django-modeltranslation).

Each text listed here gets a column per language, `title_zh_hans` and `title_en`; `title`
reads the page's language and falls back to Chinese where the English is empty (settings,
"Internationalisation"). Chinese is required wherever the text itself is; English is always
optional. Only what the public reads is here: names, descriptions, rules, venues.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import Activity, Campaign, Session, Theme, ThemeItem

REQUIRED = ("zh-hans",)


@register(Campaign)
class CampaignTranslation(TranslationOptions):
    fields = ("title", "slogan", "intro", "pledge")
    required_languages = REQUIRED


@register(Theme)
class ThemeTranslation(TranslationOptions):
    fields = ("name", "tagline", "description")
    required_languages = REQUIRED


@register(ThemeItem)
class ThemeItemTranslation(TranslationOptions):
    fields = ("name", "audience", "description")
    required_languages = REQUIRED
    # A name is unique within its theme in each language (the constraint is repeated per
    # language): items without an English name store NULL, which never collides.
    empty_values = {"name": None}


@register(Activity)
class ActivityTranslation(TranslationOptions):
    fields = ("title", "summary", "description", "eligibility", "rules")
    required_languages = REQUIRED


@register(Session)
class SessionTranslation(TranslationOptions):
    fields = ("title", "venue")
    required_languages = REQUIRED

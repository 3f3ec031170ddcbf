"""Which language a piece of the campaign's content is shown in.

Staff write every text in Chinese and may add English (campaigns/translation.py). On the
English site `activity.title` is the English title, or the Chinese one where staff gave no
English. Such a Chinese text must say so (`lang="zh-Hans"`), or a screen reader reads it
with an English voice; the template filters `content_lang` and `content`
(campaigns/templatetags/content_tags.py) and, in forms, `ContentSelect` and `content_label`.
"""

from django import forms
from django.conf import settings
from django.utils.html import format_html
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname, get_language

# The BCP 47 tag of the language staff write first (the site's LANGUAGE_CODE, zh-hans).
SOURCE_LANGUAGE = settings.LANGUAGE_CODE
SOURCE_LANGUAGE_TAG = "zh-Hans"


def falls_back(obj, field: str) -> bool:
    """True when the page's language has no text of its own for `obj.field` and the page
    shows the Chinese instead."""
    language = get_language()
    if obj is None or language == SOURCE_LANGUAGE:
        return False
    try:
        translated = translator.get_options_for_model(type(obj)).all_fields
    except NotRegistered:
        return False
    if field not in translated:
        return False
    if getattr(obj, build_localized_fieldname(field, language), None):
        return False
    return bool(getattr(obj, build_localized_fieldname(field, SOURCE_LANGUAGE), None))


def lang_attribute(obj, field: str) -> str:
    """' lang="zh-Hans"' for an element that holds a Chinese fallback, otherwise ''."""
    return format_html(' lang="{}"', SOURCE_LANGUAGE_TAG) if falls_back(obj, field) else ""


def marked(obj, field: str) -> str:
    """The text, escaped; wrapped in <span lang="zh-Hans"> when it is a Chinese fallback."""
    value = getattr(obj, field)
    if falls_back(obj, field):
        return format_html('<span lang="{}">{}</span>', SOURCE_LANGUAGE_TAG, value)
    return format_html("{}", value)


class ContentSelect(forms.Select):
    """A select of content objects named by `content_field` (an activity's title): an
    option showing Chinese on the English site gets lang="zh-Hans"."""

    def __init__(self, *args, content_field: str = "name", **kwargs):
        super().__init__(*args, **kwargs)
        self.content_field = content_field

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if falls_back(getattr(value, "instance", None), self.content_field):
            option["attrs"]["lang"] = SOURCE_LANGUAGE_TAG
        return option


def content_label(field: str):
    """`label_from_instance` for radio buttons and checkboxes of content objects (their
    labels are elements, unlike a select's options): the text, marked where Chinese."""
    return lambda obj: marked(obj, field)

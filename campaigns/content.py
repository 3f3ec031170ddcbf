"""Which language a piece of the campaign's content is shown in.

Staff write every text in Chinese and may add English (campaigns/translation.py). On the
English site `activity.title` is the English title, or the Chinese one where staff gave no
English. Such a Chinese text must say so (`lang="zh-Hans"`), or a screen reader reads it
with an English voice; the template filters `content_lang` and `content`
(campaigns/templatetags/content_tags.py) and, in forms, `ContentSelect` and `content_label`.

Reports read many texts as values, without their objects; there the page's language and its
fallback come from `content_columns` + `content_value` (the text, as a `ContentText` that
knows whether it is the Chinese fallback) or, inside the SQL, from `content_expression`.
A `.values("activity__title")` of its own reads the Chinese column whatever the page's
language.
"""

from collections.abc import Mapping

from django import forms
from django.conf import settings
from django.db.models import CharField, F, Value
from django.db.models.functions import Coalesce, NullIf
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


class ContentText(str):
    """A text of the content read without its object (a report's row, a chart's label): in
    the page's language, or the Chinese for want of it, `fallback` saying which."""

    fallback: bool = False

    def __new__(cls, value: str, *, fallback: bool = False):
        text = super().__new__(cls, value)
        text.fallback = fallback
        return text


def text_of(obj, field: str) -> ContentText:
    """`obj.field` as the page shows it, knowing whether it is the Chinese fallback."""
    value = getattr(obj, field)
    return ContentText("" if value is None else value, fallback=falls_back(obj, field))


def content_columns(path: str) -> list[str]:
    """The columns a `.values()` query reads for `content_value(row, path)`: for
    "activity__title" on the English site ["activity__title_en", "activity__title_zh_hans"],
    on the Chinese site ["activity__title_zh_hans"]."""
    own = build_localized_fieldname(path, get_language())
    source = build_localized_fieldname(path, SOURCE_LANGUAGE)
    return [source] if own == source else [own, source]


def content_value(row: Mapping, path: str) -> ContentText | None:
    """The text at `path` of a `.values()` row that read `content_columns(path)`, as
    `obj.field` shows it (None where the row has no such object: feedback on no activity)."""
    columns = content_columns(path)
    own, source = row[columns[0]], row[columns[-1]]
    if own:
        return ContentText(own)
    if source is None:
        return None
    return ContentText(source, fallback=len(columns) > 1 and bool(source))


def content_expression(path: str):
    """SQL for the text at `path` as `obj.field` shows it: the page's language, the Chinese
    where that is empty. For queries that hand the text on as it is (exports, COPY)."""
    columns = content_columns(path)
    if len(columns) == 1:
        return F(columns[0])
    return Coalesce(NullIf(F(columns[0]), Value("")), F(columns[1]), output_field=CharField())


def _falls_back(obj, field: str | None) -> bool:
    if field is None:  # a ContentText
        return getattr(obj, "fallback", False)
    return falls_back(obj, field)


def lang_attribute(obj, field: str | None = None) -> str:
    """' lang="zh-Hans"' for an element that holds a Chinese fallback, otherwise ''. Without
    `field`, `obj` is the text itself (a `ContentText`; any other value is not marked)."""
    return format_html(' lang="{}"', SOURCE_LANGUAGE_TAG) if _falls_back(obj, field) else ""


def marked(obj, field: str | None = None) -> str:
    """The text, escaped; wrapped in <span lang="zh-Hans"> when it is a Chinese fallback.
    Without `field`, `obj` is the text itself (a `ContentText`)."""
    value = obj if field is None else getattr(obj, field)
    if _falls_back(obj, field):
        return format_html('<span lang="{}">{}</span>', SOURCE_LANGUAGE_TAG, value)
    return format_html("{}", value)


class ContentSelect(forms.Select):
    """A select of content: an option showing Chinese on the English site gets
    lang="zh-Hans", and so does a group of options named in Chinese. The options are the
    objects of a ModelChoiceField, named by `content_field` (an activity's title), or plain
    choices whose labels (and group names) are `ContentText`s."""

    template_name = "campaigns/_content_select.html"

    def __init__(self, *args, content_field: str = "name", **kwargs):
        super().__init__(*args, **kwargs)
        self.content_field = content_field

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if falls_back(instance, self.content_field) or getattr(label, "fallback", False):
            option["attrs"]["lang"] = SOURCE_LANGUAGE_TAG
        return option


def content_label(field: str):
    """`label_from_instance` for radio buttons and checkboxes of content objects (their
    labels are elements, unlike a select's options): the text, marked where Chinese."""
    return lambda obj: marked(obj, field)

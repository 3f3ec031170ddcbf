"""Admin pages for the content in two languages (campaigns/translation.py).

Each translated text is asked for twice, in one form row: "标题（中文）", required where the
text is, then "标题（英文）", optional (left empty, the English site shows the Chinese). The
pages use django-modeltranslation's admin classes without its tabs: those need jQuery UI
from a CDN, which the Content-Security-Policy (rightly) refuses; the rows need no script.

Whatever the admin's own language, a record is checked and saved with Chinese active: its
own rules (`Session.clean`: an on-site session needs a venue) judge the Chinese text, which
the original column (`title`, read by reports, exports and the SQL COPY export) always holds,
as before there was English.
"""

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)
from modeltranslation.utils import build_localized_fieldname

ENGLISH_HELP = _("选填。留空时，英文网站显示中文内容。")


def in_both_languages(*fields: str) -> list[str]:
    """`title` → `title_zh_hans`, `title_en`: for search_fields, which would otherwise
    search the admin's own language only."""
    return [
        build_localized_fieldname(field, language)
        for field in fields
        for language in settings.MODELTRANSLATION_LANGUAGES
    ]


def one_row(field: str) -> tuple[str, ...]:
    """A form row with the text in each language: ("title_zh_hans", "title_en"). (A row
    naming `title` itself is flattened by modeltranslation into a row per language.)"""
    return tuple(
        build_localized_fieldname(field, language)
        for language in settings.MODELTRANSLATION_LANGUAGES
    )


class ContentForm(forms.ModelForm):
    """The base of the admin forms of translated models."""

    def _post_clean(self):
        # The model's clean() and constraints see the record as it is saved: in Chinese.
        with translation.override(settings.LANGUAGE_CODE):
            super()._post_clean()

    def add_error(self, field, error):
        # A model's clean() names its own fields (`venue`): the form has `venue_zh_hans` and
        # `venue_en` instead, and the error belongs to the Chinese one.
        if isinstance(error, dict):
            error = forms.ValidationError(error)
        if isinstance(error, forms.ValidationError) and hasattr(error, "error_dict"):
            error = forms.ValidationError(
                {self._form_field(name): errors for name, errors in error.error_dict.items()}
            )
        elif field is not None:
            field = self._form_field(field)
        super().add_error(field, error)

    def _form_field(self, name: str) -> str:
        chinese = build_localized_fieldname(name, settings.LANGUAGE_CODE)
        return chinese if name not in self.fields and chinese in self.fields else name


class EnglishHelpMixin:
    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and getattr(db_field, "language", None) == "en":
            formfield.help_text = ENGLISH_HELP
        return formfield


class ContentAdmin(EnglishHelpMixin, TranslationAdmin):
    """A ModelAdmin for a model with translated texts (and inlines of such models)."""

    form = ContentForm

    def save_model(self, request, obj, form, change):
        with translation.override(settings.LANGUAGE_CODE):
            super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        with translation.override(settings.LANGUAGE_CODE):
            super().save_formset(request, form, formset, change)


class ContentTabularInline(EnglishHelpMixin, TranslationTabularInline):
    form = ContentForm


class ContentStackedInline(EnglishHelpMixin, TranslationStackedInline):
    form = ContentForm

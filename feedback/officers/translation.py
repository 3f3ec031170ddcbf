"""Experience tasks in Chinese and English (django-modeltranslation, as campaigns/translation.py):
officers read them in the 体验官专区, on the English site in English where staff gave it."""

from modeltranslation.translator import TranslationOptions, register

from .models import ExperienceTask


@register(ExperienceTask)
class ExperienceTaskTranslation(TranslationOptions):
    fields = ("title", "instructions")
    required_languages = ("zh-hans",)

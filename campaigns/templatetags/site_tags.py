from django import template
from django.urls import translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def language_url(context, code: str) -> str:
    """This page in another language: a plain link (/… is Chinese, /en/… English).

    A link, not a form, so public pages carry no per-visitor CSRF token and can be cached.
    """
    request = context.get("request")
    path = request.get_full_path() if request else "/"
    return translate_url(path, code)

"""The campaign's content with its language marked (campaigns/content.py).

    <h1{{ activity|content_lang:"title" }}>{{ activity.title }}</h1>
    <div{{ activity|content_lang:"rules" }}>{{ activity.rules|linebreaks }}</div>
    {{ session.city }} · {{ session|content:"venue" }}

`content_lang` adds lang="zh-Hans" to an element whose text is the Chinese shown for want of
English; `content` prints the text itself, in a <span lang="zh-Hans"> in that case. A text a
report read as a value (a `ContentText`: a chart's label, a row of the officers' figures)
takes the filters without a field:

    <th scope="row"{{ row.label|content_lang }}>{{ row.label }}</th>  {{ title|content }}
"""

from django import template

from campaigns.content import lang_attribute, marked

register = template.Library()


@register.filter
def content_lang(obj, field: str | None = None) -> str:
    return lang_attribute(obj, field)


@register.filter
def content(obj, field: str | None = None) -> str:
    return marked(obj, field)

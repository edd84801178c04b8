"""Template helpers for the public site: site-wide names, absolute addresses, JSON-LD."""

import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles import seo

register = template.Library()

# The escapes Django's json_script uses: the data can never close the <script>
# element or open markup, whatever the story's text contains.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def site_name() -> str:
    return settings.SITE_NAME


@register.simple_tag
def site_language() -> str:
    """The site's language as an ISO 639 code, e.g. “en”."""
    return settings.LANGUAGE_CODE.split("-")[0]


@register.filter
def publication_date(story) -> str:
    """The story's date for machines: ISO 8601, the day alone when the time is unknown."""
    return seo.publication_date(story)


@register.simple_tag(takes_context=True)
def absolute_url(context, path) -> str:
    """The full address of `path` on this site (see `seo.absolute_url`)."""
    return seo.absolute_url(context["request"], str(path))


@register.filter
def without(items, unwanted):
    """`items` less `unwanted`, e.g. a joint statement's speakers other than this official."""
    return [item for item in items if item != unwanted]


@register.filter
def json_ld(data):
    """`data` as a JSON-LD <script> block, escaped as safely as json_script escapes."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(_JSON_SCRIPT_ESCAPES)),
    )

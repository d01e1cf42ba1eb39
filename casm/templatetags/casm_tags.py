from django import template

from casm.links import absolute_reverse
from casm.markdown import render_markdown

register = template.Library()


@register.simple_tag
def absolute_url(viewname, *args):
    """{% absolute_url 'network:me' %}: the page's full address, for mail (``casm.links``)."""
    return absolute_reverse(viewname, *args)


@register.filter(name="markdown")
def markdown_filter(text):
    """{{ section.body|markdown }}: staff Markdown, sanitised."""
    return render_markdown(text)

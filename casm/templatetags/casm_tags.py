from django import template

from casm.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """{{ section.body|markdown }}: staff Markdown, sanitised."""
    return render_markdown(text)

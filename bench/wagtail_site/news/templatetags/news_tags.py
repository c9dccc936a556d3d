from django import template
from wagtail.models import Site

register = template.Library()


@register.inclusion_tag("news/_section_nav.html", takes_context=True)
def section_nav(context, current=None):
    """The sections in the site's menu, the current one marked."""
    site = Site.find_for_request(context["request"])
    return {"sections": site.root_page.get_children().live().in_menu(), "current": current}


@register.inclusion_tag("news/_byline.html")
def byline(article):
    return {"credits": article.credits}

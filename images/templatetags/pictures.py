from django import template

register = template.Library()


@register.inclusion_tag("images/_picture.html")
def picture(image, shape, sizes, lazy=True):
    """A responsive <picture> of a library image: WebP with a JPEG fallback, sized to avoid layout shift."""
    return {**image.picture(shape), "sizes": sizes, "lazy": lazy}

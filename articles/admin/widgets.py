"""The admin's autocomplete widgets, redrawing a refused form whose posted value is not a key at all.

Django's autocomplete widgets look the posted values up to redraw them, and a value that is not a key (`x`
for a number, from a hand-made request) makes that lookup raise: a 500 instead of the form's own "Select a
valid choice". These leave such values out of the lookup; the form still refuses them.
"""

from django.contrib.admin import widgets
from django.core.exceptions import ValidationError


def keys_only(widget, values):
    key = widget.field.remote_field.model._meta.pk
    kept = []
    for value in values:
        try:
            key.to_python(value)
        except ValidationError:
            continue
        kept.append(value)
    return kept


class AutocompleteSelect(widgets.AutocompleteSelect):
    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, keys_only(self, value), attr)


class AutocompleteSelectMultiple(widgets.AutocompleteSelectMultiple):
    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, keys_only(self, value), attr)


class KeysOnlyAutocomplete:
    """For a ModelAdmin or inline with `autocomplete_fields`: the widgets above in place of Django's."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault("widget", AutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using")))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            widget = AutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
            kwargs.setdefault("widget", widget)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

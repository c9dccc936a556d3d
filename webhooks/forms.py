from django import forms

from articles.models import Section

from .addresses import validate_endpoint_url
from .models import Endpoint

SHORTEST_SECRET = 16


class EndpointForm(forms.ModelForm):
    """An endpoint's settings. The secret is write-only: typed in, never shown again (only its last characters)."""

    url = forms.CharField(
        label="URL",
        max_length=2000,
        validators=[validate_endpoint_url],
        widget=forms.URLInput(attrs={"size": 80}),
        help_text=Endpoint._meta.get_field("url").help_text,
    )
    new_secret = forms.CharField(
        label="Secret",
        required=False,
        min_length=SHORTEST_SECRET,
        max_length=200,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password", "size": 60}),
        help_text=f"Agree it with the partner, at least {SHORTEST_SECRET} characters, e.g. from "
        "<code>python3 -c 'import secrets; print(secrets.token_urlsafe(32))'</code>. "
        "It is never shown again: to change it, type a new one.",
    )
    sections = forms.ModelMultipleChoiceField(
        queryset=Section.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=Endpoint._meta.get_field("sections").help_text,
    )

    class Meta:
        model = Endpoint
        fields = ["name", "url", "new_secret", "sections", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["new_secret"].help_text = (
                f"The current secret ends {self.instance.secret_hint}. Leave empty to keep it; type a new one to "
                "replace it (tell the partner first)."
            )
        else:
            self.fields["new_secret"].required = True

    def save(self, commit=True):
        if self.cleaned_data.get("new_secret"):
            self.instance.secret = self.cleaned_data["new_secret"]
        return super().save(commit)

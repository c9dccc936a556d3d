from django import forms
from django.core.files.uploadedfile import UploadedFile

from .models import Image
from .validation import clean_upload


class ImageForm(forms.ModelForm):
    """Every way a picture enters the library goes through this form, and so through `clean_upload`."""

    class Meta:
        model = Image
        fields = ["file", "alt_text", "caption", "credit", "source", "focal_x", "focal_y"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        # A change form without a new file hands back the stored one, which passed on its way in.
        return clean_upload(upload) if isinstance(upload, UploadedFile) else upload


class BodyImageForm(ImageForm):
    """CKEditor's upload: just the file; the editor writes the alt text in the image dialog."""

    class Meta(ImageForm.Meta):
        fields = ["file"]

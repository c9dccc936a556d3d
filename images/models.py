import uuid

from django.conf import settings
from django.core.files.images import get_image_dimensions
from django.core.validators import MaxValueValidator
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from articles.sanitize import clean_text_fields

from .renditions import FALLBACK_WIDTH, delete_renditions, make_renditions, renditions


def library_path(image, filename):
    """A generated name: nothing the uploader chose reaches storage, only the verified format's extension."""
    extension = filename.rsplit(".", 1)[-1]
    return f"images/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class ImageQuerySet(models.QuerySet):
    def search(self, query):
        return self.filter(
            models.Q(alt_text__icontains=query)
            | models.Q(caption__icontains=query)
            | models.Q(credit__icontains=query)
            | models.Q(source__icontains=query)
        )


class Image(models.Model):
    """A picture in the newsroom's library, with what readers and screen readers are told about it."""

    file = models.FileField(
        upload_to=library_path,
        max_length=200,
        help_text="JPEG, PNG, WebP or GIF, up to 25 MB and 50 megapixels. Location data is removed.",
    )
    alt_text = models.CharField(
        "alt text",
        max_length=300,
        blank=True,
        help_text="What the picture shows, for readers who cannot see it. Required before a story "
        "with this picture is published.",
    )
    caption = models.CharField(max_length=500, blank=True, help_text="Shown under the picture.")
    credit = models.CharField(
        max_length=200, blank=True, help_text="Photographer and/or copyright holder, e.g. “Jonas Berg / The Newsroom”."
    )
    source = models.CharField(
        max_length=200, blank=True, help_text="Where the picture came from, e.g. an agency or a reader. Not shown."
    )
    focal_x = models.PositiveSmallIntegerField(
        "focal point across (%)",
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text="Optional: 0 is the left edge, 100 the right. Crops keep this point in frame.",
    )
    focal_y = models.PositiveSmallIntegerField(
        "focal point down (%)",
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text="Optional: 0 is the top edge, 100 the bottom.",
    )
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        get_latest_by = "uploaded_at"
        permissions = [("change_any_image", "Can change pictures other people uploaded")]

    def __str__(self):
        return self.caption or self.alt_text or f"Picture {self.pk}"

    def save(self, *args, **kwargs):
        """Store the picture and its renditions, or (when that fails) neither the row nor a new file."""
        clean_text_fields(self)
        new_upload = self.file and not self.file._committed
        if new_upload:  # measure it once
            self.width, self.height = get_image_dimensions(self.file)
        try:
            with transaction.atomic():
                super().save(*args, **kwargs)
                make_renditions(self)
        except Exception:
            if new_upload and self.file._committed:
                self.file.storage.delete(self.file.name)
                delete_renditions(self.file.name)
            raise

    def get_absolute_url(self):
        return reverse("admin:images_image_change", args=[self.pk])

    @property
    def focal_point(self):
        """(x, y) as fractions of the width and height; the centre when the editor set none."""
        x = 50 if self.focal_x is None else self.focal_x
        y = 50 if self.focal_y is None else self.focal_y
        return (x / 100, y / 100)

    def picture(self, shape):
        """What a <picture> of this image in `shape` needs: WebP and JPEG srcsets, a fallback src, its size."""
        made = renditions(self, shape)
        jpegs = [rendition for rendition in made if rendition.format == "jpeg"]
        fallback = [rendition for rendition in jpegs if rendition.width <= FALLBACK_WIDTH][-1]
        return {
            "webp_srcset": srcset([rendition for rendition in made if rendition.format == "webp"]),
            "srcset": srcset(jpegs),
            "src": fallback.url,
            "width": fallback.width,
            "height": fallback.height,
            "alt": self.alt_text,
        }

    @property
    def body_url(self):
        """The rendition CKEditor puts into a story's body: the lead shape's fallback JPEG."""
        return self.picture("lead")["src"]

    @property
    def share_rendition(self):
        return renditions(self, "share")[0]

    @property
    def share_url(self):
        """Absolute URL of the share-sized JPEG (1200 x 630 when the picture is that large), for og:image."""
        url = self.share_rendition.url
        return url if "://" in url else f"{settings.SITE_URL}{url}"


@receiver(post_delete, sender=Image)
def delete_files_after_commit(sender, instance, **kwargs):
    """A picture deleted from the library takes its file and renditions along, once the deletion is final."""
    name = instance.file.name
    transaction.on_commit(lambda: (instance.file.storage.delete(name), delete_renditions(name)))


def srcset(renditions):
    return ", ".join(f"{rendition.url} {rendition.width}w" for rendition in renditions)

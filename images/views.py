"""CKEditor's upload and browse endpoints, backed by the library, and the demo's media view."""

import mimetypes
import re

from ckeditor_uploader.forms import SearchForm
from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.html import escapejs
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .forms import BodyImageForm
from .models import Image

# Only names this project generates: the library's originals and their renditions.
MEDIA_NAME = re.compile(r"^(images/\d{4}/\d{2}/[0-9a-f]{32}|renditions/[0-9a-f]{32}/[0-9x\-c]+)\.(jpg|png|webp|gif)$")


# CKEditor posts the file with its own double-submit token (ckCsrfToken, checked below), not Django's.
@csrf_exempt
@xframe_options_sameorigin
@staff_member_required
@require_POST
def ckeditor_upload(request):
    """Store a picture from CKEditor's image dialog in the library and hand the editor its URL."""
    token = request.POST.get("ckCsrfToken", "")
    if not token or token != request.COOKIES.get("ckCsrfToken"):
        return ckeditor_answer(request, error="The upload was refused: reload the page and try again.")
    if not request.user.has_perm("images.add_image"):
        return ckeditor_answer(request, error="Your role may not add pictures to the library.")
    form = BodyImageForm(files={"file": request.FILES.get("upload")})
    if not form.is_valid():
        return ckeditor_answer(request, error=" ".join(form.errors["file"]))
    image = form.save(commit=False)
    image.uploaded_by = request.user
    image.save()
    return ckeditor_answer(request, url=image.body_url)


def ckeditor_answer(request, url="", error=""):
    """CKEditor 4 reads JSON from its XHR uploads and a script from its older form-and-frame uploads."""
    func_num = request.GET.get("CKEditorFuncNum", "")
    if func_num.isdigit() and request.GET.get("responseType") != "json":
        script = f"window.parent.CKEDITOR.tools.callFunction({func_num}, '{escapejs(url)}', '{escapejs(error)}');"
        return HttpResponse(f"<script>{script}</script>")
    if error:
        return JsonResponse({"uploaded": 0, "error": {"message": error}})
    return JsonResponse({"uploaded": 1, "fileName": url.rsplit("/", 1)[-1], "url": url})


@never_cache
@staff_member_required
def ckeditor_browse(request):
    """CKEditor's "Browse Server": the library's pictures, newest first, searchable."""
    if not request.user.has_perm("images.view_image"):
        raise PermissionDenied
    form = SearchForm(request.POST or None)
    images = Image.objects.all()
    if form.is_valid() and form.cleaned_data["q"]:
        images = images.search(form.cleaned_data["q"])
    files = [
        {
            "src": image.body_url,
            "thumb": image.picture("card")["src"],
            "is_image": True,
            "visible_filename": str(image)[:40],
        }
        for image in images[:200]
    ]
    return render(request, "ckeditor/browse.html", {"files": files, "form": form, "show_dirs": False})


def media(request, name):
    """Serve a stored picture when no web server does it (SERVE_MEDIA, one-machine setups only).

    Only the names the library generates are served, with their own content type and a long cache
    life (a name never changes its content). Production setups leave this off (docs/operations.md, "Media in
    production").
    """
    if not settings.SERVE_MEDIA or not MEDIA_NAME.match(name) or not default_storage.exists(name):
        raise Http404("No such picture.")
    response = FileResponse(default_storage.open(name), content_type=mimetypes.guess_type(name)[0])
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    return response

"""Uploads are capped while they arrive, not after (OWASP ASVS 5.0 §5.2.1).

Django stores a whole uploaded file (in memory, on disk above ``FILE_UPLOAD_MAX_MEMORY_SIZE``)
before any view runs, so a size check in the view comes after the disk and the time are spent.
:class:`CappedUploadHandler`, first in ``FILE_UPLOAD_HANDLERS``, drops a file as soon as its
bytes pass ``UPLOAD_MAX_BYTES``: the rest of it is read from the connection and discarded (no
memory, no disk), the other fields of the form still arrive, and the request carries
``request.uploads_refused`` — ``{field name: bytes received before it was dropped}`` — so the
view can say which file was too large and what the limit is (:func:`upload_refused_message`).
A proxy in front should also limit the body (``client_max_body_size`` in nginx): that saves
reading the discarded bytes at all.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


class CappedUploadHandler(FileUploadHandler):
    """Drops any uploaded file beyond ``settings.UPLOAD_MAX_BYTES`` bytes (see the module)."""

    def new_file(self, field_name, *args, **kwargs):
        super().new_file(field_name, *args, **kwargs)
        self.limit = settings.UPLOAD_MAX_BYTES

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            refused = getattr(self.request, "uploads_refused", None)
            if refused is None:
                refused = self.request.uploads_refused = {}
            refused[self.field_name] = start + len(raw_data)
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler (memory or temporary file) builds the file


def upload_refused_message(request, field: str) -> str | None:
    """The error to show when ``field``'s file was dropped by :class:`CappedUploadHandler`,
    ``None`` when it was not."""
    received = getattr(request, "uploads_refused", {}).get(field)
    if received is None:
        return None
    return _("The file is larger than %(limit)s, the most an upload may be; it was not "
             "received. Split it into several files and upload them one after the other.") % {
        "limit": filesizeformat(settings.UPLOAD_MAX_BYTES)}

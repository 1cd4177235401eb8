"""Turn domain errors into API responses (one place, as in the HackSoft style guide)."""

from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework import exceptions
from rest_framework.views import exception_handler


def api_exception_handler(exc, context):
    """Map Django ``ValidationError``/``PermissionDenied`` to DRF errors, then DRF's default.

    A ``ValidationError`` with a dict of field → messages answers 400 ``{field: [messages]}``.
    """
    if isinstance(exc, ValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = exceptions.ValidationError(detail=detail)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    return exception_handler(exc, context)

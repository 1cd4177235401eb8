"""Signals the inspection cycle sends to the apps that build on it.

``result_published`` — sent by ``inspections.services.review.results_publish`` inside its
transaction, once per published revision, with ``result`` (the revision now public),
``superseded`` (the revision it corrects, now superseded, or ``None``) and ``user`` (who
published). The credit app records the credit effect and supersedes the old one
(``credit.receivers``); a receiver that raises rolls the publication back. Signals keep the
imports one way: inspections never imports credit.
"""

from django.dispatch import Signal

result_published = Signal()

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from common.health import health
from common.publicapi import OpenDataThrottle
from config.api_urls import v1_urlpatterns

admin.site.site_header = _("TIC supervision platform · administration")
admin.site.site_title = _("TIC supervision platform")
admin.site.index_title = _("Registries and records")

urlpatterns = [
    path("health/", health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/public/", include("config.api_urls")),
    # Open data (read-only, anonymous, OPEN_API_RATE per IP); the /en/ mirror answers errors
    # and labels in English whatever Accept-Language says (left out of the schema).
    path("api/v1/", include(v1_urlpatterns)),
    path("en/api/v1/", include((v1_urlpatterns, "api-v1-en"))),
    path("api/schema/", SpectacularAPIView.as_view(throttle_classes=[OpenDataThrottle]),
         name="api-schema"),
    # Swagger UI from drf-spectacular-sidecar's static files (no CDN), its script a separate
    # same-origin file (the Content-Security-Policy has no 'unsafe-inline').
    path("api/docs/", SpectacularSwaggerSplitView.as_view(
        url_name="api-schema", template_name="api/swagger_ui.html"), name="api-docs"),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("institutions/", include("institutions.urls")),
    path("qualifications/", include("qualifications.urls")),
    path("inspections/", include("inspections.urls")),
    path("credit/", include("credit.urls")),
    path("reports/", include("reports.urls")),
    path("", include("config.public_urls")),
    prefix_default_language=False,
)
# Generated files (reports, bulk data) are never served from MEDIA_URL: only through the views
# that scope them (reports:report_download, the open-data downloads).

# An unmatched /api/ path answers JSON like the API's own errors (common/publicapi.py).
handler404 = "common.publicapi.api_aware_not_found"
handler500 = "common.publicapi.api_aware_server_error"

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

admin.site.site_header = _("TIC supervision platform · administration")
admin.site.site_title = _("TIC supervision platform")
admin.site.index_title = _("Registries and records")

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/public/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
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
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

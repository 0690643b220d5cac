from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from halsogap_web.audit.views import audit_log
from halsogap_web.cycles import views as cycle_views
from halsogap_web.observations import import_views, views
from halsogap_web.selfevaluation import views as evaluation_views

urlpatterns = [
    path("", views.start, name="start"),
    path("region/<str:code>/", views.region_overview, name="region"),
    path("indikator/<str:code>/", views.indicator_detail, name="indicator"),
    path("indikator/<str:code>/varden.csv", views.indicator_csv, name="indicator_csv"),
    path("indikatorer/ny/", import_views.indicator_create, name="indicator_create"),
    path("inlasning/", import_views.import_upload, name="import_upload"),
    path("inlasning/format/", import_views.import_format, name="import_format"),
    path("inlasning/<int:pk>/", import_views.import_job, name="import_job"),
    path("granskning/", audit_log, name="audit_log"),
    path("arshjul/", cycle_views.wheel_index, name="wheel_index"),
    path("arshjul/mall/", cycle_views.template_edit, name="wheel_template"),
    path("arshjul/<int:year>/", cycle_views.wheel_detail, name="wheel_detail"),
    path("arshjul/steg/<int:pk>/", cycle_views.step_edit, name="wheel_step"),
    path("sjalvevaluering/", evaluation_views.evaluation_index, name="evaluation_index"),
    path(
        "sjalvevaluering/standarder/",
        evaluation_views.definition_upload,
        name="definition_upload",
    ),
    path("sjalvevaluering/<int:pk>/", evaluation_views.evaluation_fill, name="evaluation_fill"),
    path(
        "sjalvevaluering/<int:pk>/svar/<int:statement_pk>/",
        evaluation_views.evaluation_answer,
        name="evaluation_answer",
    ),
    path(
        "sjalvevaluering/<int:pk>/profil/",
        evaluation_views.evaluation_profile,
        name="evaluation_profile",
    ),
    path(
        "sjalvevaluering/<int:pk>/dela/", evaluation_views.evaluation_share, name="evaluation_share"
    ),
    path("konto/logga-in/", auth_views.LoginView.as_view(), name="login"),
    path("konto/logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

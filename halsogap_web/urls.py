from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from halsogap_web.accounts import views as account_views
from halsogap_web.api import views as token_views
from halsogap_web.api.api import api
from halsogap_web.assignments import views as assignment_views
from halsogap_web.audit.views import audit_log
from halsogap_web.cycles import views as cycle_views
from halsogap_web.governance import views as governance_views
from halsogap_web.health import health
from halsogap_web.needs import cni_views, dialogue_views, equity_views
from halsogap_web.needs import views as needs_views
from halsogap_web.network import secretariat_views
from halsogap_web.network import views as network_views
from halsogap_web.observations import import_views, microdata_views, views
from halsogap_web.priorities import views as priority_views
from halsogap_web.selfevaluation import follow_up_views
from halsogap_web.selfevaluation import views as evaluation_views
from halsogap_web.sources import views as source_views

urlpatterns = [
    path("", views.start, name="start"),
    path("halsa/", health, name="health"),
    path("api/v1/", api.urls),
    path("konto/api-nycklar/", token_views.token_index, name="api_tokens"),
    path("konto/roll/", account_views.membership_choose, name="membership_choose"),
    path(
        "konto/api-nycklar/<int:pk>/aterkalla/",
        token_views.token_revoke,
        name="api_token_revoke",
    ),
    path("favicon.ico", views.favicon),
    path("region/<str:code>/", views.region_overview, name="region"),
    path("indikator/<str:code>/", views.indicator_detail, name="indicator"),
    path("indikator/<str:code>/varden.csv", views.indicator_csv, name="indicator_csv"),
    path(
        "indikator/<str:code>/jamlikhet/",
        equity_views.indicator_equity_view,
        name="indicator_equity",
    ),
    path("indikatorer/ny/", import_views.indicator_create, name="indicator_create"),
    path("inlasning/", import_views.import_upload, name="import_upload"),
    path("inlasning/format/", import_views.import_format, name="import_format"),
    path("inlasning/mikrodata/", microdata_views.microdata_upload, name="microdata_upload"),
    path("inlasning/<int:pk>/", import_views.import_job, name="import_job"),
    path("granskning/", audit_log, name="audit_log"),
    path("arshjul/", cycle_views.wheel_index, name="wheel_index"),
    path("arshjul/mall/", cycle_views.template_edit, name="wheel_template"),
    path("arshjul/<int:year>/", cycle_views.wheel_detail, name="wheel_detail"),
    path("arshjul/steg/<int:pk>/", cycle_views.step_edit, name="wheel_step"),
    path("kallor/", source_views.source_index, name="source_index"),
    path("kallor/<int:pk>/", source_views.source_detail, name="source_detail"),
    path("kallor/<int:pk>/kor/", source_views.source_run, name="source_run"),
    path("kallor/korning/<int:pk>/", source_views.source_run_detail, name="source_run_detail"),
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
    path(
        "sjalvevaluering/<int:evaluation_pk>/handlingsplan/",
        network_views.plan_draft,
        name="plan_draft",
    ),
    path("handlingsplaner/", network_views.plan_index, name="plan_index"),
    path("handlingsplaner/<int:pk>/", network_views.plan_detail, name="plan_detail"),
    re_path(
        r"^handlingsplaner/(?P<pk>\d+)/handlingsplan\.(?P<fmt>pdf|docx)$",
        network_views.plan_export,
        name="plan_export",
    ),
    path(
        "handlingsplaner/aktivitet/<int:pk>/",
        network_views.activity_update,
        name="activity_update",
    ),
    path("handlingsplaner/<int:pk>/dela/", network_views.plan_share, name="plan_share"),
    path(
        "sjalvevaluering/foljefragor/",
        follow_up_views.follow_up_answers,
        name="follow_up_answers",
    ),
    path("natverket/", secretariat_views.network_overview, name="network_overview"),
    path("natverket/profiler/<int:pk>/", secretariat_views.member_profile, name="member_profile"),
    path(
        "natverket/verksamhetsplan/ny/",
        secretariat_views.network_plan_create,
        name="network_plan_create",
    ),
    path(
        "natverket/temagrupper/ny/",
        secretariat_views.theme_group_create,
        name="theme_group_create",
    ),
    path(
        "natverket/temagrupper/<int:pk>/",
        secretariat_views.theme_group_detail,
        name="theme_group_detail",
    ),
    path(
        "natverket/temagrupper/<int:pk>/medlemmar/<int:member_pk>/ta-bort/",
        secretariat_views.theme_member_remove,
        name="theme_member_remove",
    ),
    path(
        "natverket/temagrupper/<int:pk>/handlingsplan/",
        secretariat_views.theme_plan_create,
        name="theme_plan_create",
    ),
    path("natverket/foljefragor/", secretariat_views.follow_up_index, name="follow_up_index"),
    path("goda-exempel/", network_views.example_index, name="example_index"),
    path("goda-exempel/dela/", network_views.example_share, name="example_share"),
    path("goda-exempel/<int:pk>/kopiera/", network_views.example_copy, name="example_copy"),
    path("vardbehov/", cni_views.cni_overview, name="cni_overview"),
    path("behovsanalys/", needs_views.analysis_index, name="analysis_index"),
    path("dialoger/", dialogue_views.dialogue_list, name="dialogue_list"),
    path("styrdokument/", governance_views.document_list, name="governing_documents"),
    path("styrdokument/ny/", governance_views.document_create, name="governing_document_create"),
    path("styrdokument/<int:pk>/", governance_views.document_edit, name="governing_document_edit"),
    path(
        "verksamhetsplan/<int:year>/forslag/",
        governance_views.plan_proposal,
        name="plan_proposal",
    ),
    re_path(
        r"^verksamhetsplan/(?P<year>\d{4})/forslag\.(?P<fmt>pdf|docx)$",
        governance_views.plan_proposal_export,
        name="plan_proposal_export",
    ),
    path("dialoger/ny/", dialogue_views.dialogue_create, name="dialogue_create"),
    path("dialoger/<int:pk>/", dialogue_views.dialogue_detail, name="dialogue_detail"),
    path("dialoger/<int:pk>/andra/", dialogue_views.dialogue_edit, name="dialogue_edit"),
    path("behovsanalys/rangordning/", needs_views.needs_ranking, name="needs_ranking"),
    path("behovsanalys/behovsgrupp/ny/", needs_views.group_create, name="need_group_create"),
    path("behovsanalys/<int:pk>/", needs_views.analysis_detail, name="analysis_detail"),
    path("behovsanalys/<int:pk>/behov/", needs_views.analysis_add_need, name="analysis_add_need"),
    path(
        "behovsanalys/<int:pk>/behov/<int:item_pk>/mal/",
        needs_views.analysis_edit_target,
        name="analysis_edit_target",
    ),
    path(
        "behovsanalys/<int:pk>/behov/<int:item_pk>/sparet/",
        needs_views.need_trace,
        name="need_trace",
    ),
    path(
        "behovsanalys/<int:pk>/behov/<int:item_pk>/sparet.pdf",
        needs_views.need_trace_pdf,
        name="need_trace_pdf",
    ),
    path(
        "behovsanalys/<int:pk>/behov/<int:item_pk>/dialog/",
        needs_views.need_comment,
        name="need_comment",
    ),
    path(
        "behovsanalys/<int:pk>/behov/<int:item_pk>/faststall/",
        needs_views.analysis_approve_target,
        name="analysis_approve_target",
    ),
    path(
        "behovsanalys/<int:pk>/behovsgrupper/",
        needs_views.analysis_set_groups,
        name="analysis_set_groups",
    ),
    path("behovsanalys/<int:pk>/kommentar/", needs_views.analysis_comment, name="analysis_comment"),
    path(
        "behovsanalys/<int:pk>/indikator/<int:item_pk>/ta-bort/",
        needs_views.item_delete,
        name="analysis_item_delete",
    ),
    re_path(
        r"^behovsanalys/(?P<pk>\d+)/behovsanalys\.(?P<fmt>pdf|docx|xlsx|html)$",
        needs_views.analysis_export,
        name="analysis_export",
    ),
    path("prioritering/", priority_views.priorities_index, name="priorities_index"),
    path("prioritering/atgarder/", priority_views.measure_index, name="measure_index"),
    path("prioritering/horisontell/", priority_views.horizontal_view, name="priorities_horizontal"),
    path("prioritering/fordelning/", priority_views.allocation_view, name="priorities_allocation"),
    path(
        "prioritering/bedomning/<int:pk>/",
        priority_views.assessment_detail,
        name="assessment_detail",
    ),
    path("prioritering/beslut/<int:pk>/", priority_views.decision_detail, name="decision_detail"),
    re_path(
        r"^prioritering/beslut/(?P<pk>\d+)/beslut\.(?P<fmt>pdf|docx)$",
        priority_views.decision_document,
        name="decision_document",
    ),
    path(
        "region/<str:code>/prioriteringar/", priority_views.open_priorities, name="open_priorities"
    ),
    path(
        "region/<str:code>/prioriteringar/<int:version>/",
        priority_views.open_decision,
        name="open_decision",
    ),
    path("uppdrag/", assignment_views.assignment_index, name="assignment_index"),
    path("uppdrag/nytt/", assignment_views.assignment_create, name="assignment_create"),
    re_path(
        r"^uppdrag/arsredovisning\.(?P<fmt>pdf|docx|xlsx)$",
        assignment_views.annual_report,
        name="annual_report",
    ),
    re_path(
        r"^uppdrag/(?P<pk>\d+)/uppfoljning\.(?P<fmt>pdf|docx|xlsx)$",
        assignment_views.follow_up_document,
        name="follow_up_document",
    ),
    re_path(
        r"^uppdrag/(?P<pk>\d+)/uppdrag\.(?P<fmt>pdf|docx)$",
        assignment_views.assignment_document,
        name="assignment_document",
    ),
    path(
        "uppdrag/tillaggsuppdrag/",
        assignment_views.draft_supplementary,
        name="draft_supplementary",
    ),
    path("uppdrag/<int:pk>/", assignment_views.assignment_detail, name="assignment_detail"),
    path(
        "uppdrag/<int:pk>/mottagare/",
        assignment_views.add_recipient,
        name="assignment_add_recipient",
    ),
    path("uppdrag/<int:pk>/mal/", assignment_views.add_goal, name="assignment_add_goal"),
    path(
        "uppdrag/<int:pk>/mal/<int:part_pk>/",
        assignment_views.edit_goal,
        name="assignment_edit_goal",
    ),
    path(
        "uppdrag/<int:pk>/uppfoljningsplan/<int:part_pk>/",
        assignment_views.edit_plan_line,
        name="assignment_edit_plan_line",
    ),
    path(
        "uppdrag/<int:pk>/delmal/", assignment_views.add_milestone, name="assignment_add_milestone"
    ),
    path(
        "uppdrag/<int:pk>/uppfoljningsplan/",
        assignment_views.add_plan_line,
        name="assignment_add_plan_line",
    ),
    path("uppdrag/<int:pk>/undantag/", assignment_views.add_waiver, name="assignment_add_waiver"),
    path("uppdrag/<int:pk>/kopplingar/", assignment_views.set_links, name="assignment_set_links"),
    path("uppdrag/<int:pk>/dialog/", assignment_views.add_dialogue, name="assignment_add_dialogue"),
    path(
        "uppdrag/<int:pk>/nasta-steg/",
        assignment_views.assignment_advance,
        name="assignment_advance",
    ),
    path(
        "uppdrag/<int:pk>/rapportera/", assignment_views.assignment_report, name="assignment_report"
    ),
    path(
        "uppdrag/<int:pk>/uppfoljning/",
        assignment_views.assignment_follow_up,
        name="assignment_follow_up",
    ),
    path("konto/logga-in/", auth_views.LoginView.as_view(), name="login"),
    path("konto/logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler400 = "halsogap_web.lib.errors.bad_request"

from django.apps import AppConfig


class AssignmentsConfig(AppConfig):
    name = "halsogap_web.assignments"
    label = "assignments"
    verbose_name = "Uppdrag och uppföljning"

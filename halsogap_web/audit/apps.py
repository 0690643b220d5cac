from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "halsogap_web.audit"
    label = "audit"
    verbose_name = "Granskningslogg"

from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "halsogap_web.governance"
    verbose_name = "Styrdokument"

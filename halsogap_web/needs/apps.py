from django.apps import AppConfig


class NeedsConfig(AppConfig):
    name = "halsogap_web.needs"
    label = "needs"
    verbose_name = "Behovsanalys"

from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "halsogap_web.sources"
    label = "sources"
    verbose_name = "Datakällor"

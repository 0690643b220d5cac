from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "halsogap_web.archive"
    verbose_name = "Säkerhetskopia av en region"

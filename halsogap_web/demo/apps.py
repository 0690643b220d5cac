from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "halsogap_web.demo"
    label = "demo"
    verbose_name = "Demo"

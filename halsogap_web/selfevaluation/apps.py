from django.apps import AppConfig


class SelfEvaluationConfig(AppConfig):
    name = "halsogap_web.selfevaluation"
    label = "selfevaluation"
    verbose_name = "Självevaluering"

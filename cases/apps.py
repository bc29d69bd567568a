from django.apps import AppConfig


class CasesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cases"
    verbose_name = "Cases"

    def ready(self):
        # Here rather than in `people`: the pages of both apps are kept current together.
        from django.db.models.signals import post_delete, post_save

        from casetracker.publication import forget_published_count
        from casetracker.workflow import connect_page_updates

        from .models import COUNTED

        connect_page_updates()
        for model in COUNTED:
            post_save.connect(forget_published_count, sender=model)
            post_delete.connect(forget_published_count, sender=model)

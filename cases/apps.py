from django.apps import AppConfig


class CasesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cases"
    verbose_name = "Cases"

    def ready(self):
        # Here rather than in `people`: the pages of both apps are kept current together.
        from casetracker.workflow import connect_page_updates

        connect_page_updates()

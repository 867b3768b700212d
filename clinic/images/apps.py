from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImagesConfig(AppConfig):
    name = "clinic.images"
    label = "images"
    verbose_name = _("Media library")

    def ready(self) -> None:
        from clinic.content import Role, register
        from clinic.images.models import Image

        register(
            Image,
            follow=("translation_states",),
            staff={
                Role.EDITORS: ("add", "change", "view"),
                Role.PUBLISHERS: ("add", "change", "view", "delete"),
                Role.TRANSLATORS: ("view", "change"),
                Role.REVIEWERS: ("view",),
            },
        )

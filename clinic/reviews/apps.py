from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "clinic.reviews"
    label = "reviews"
    verbose_name = _("Medical review")

    def ready(self) -> None:
        from clinic.content import Role, register
        from clinic.reviews.models import MedicalReview, Reviewer, ReviewNote

        staff_read = {Role.EDITORS: ("view",), Role.PUBLISHERS: ("view",)}
        # A reviewer's name and credentials are served with the reviews they signed.
        register(
            Reviewer,
            follow=("translation_states",),
            public=lambda: Reviewer.objects.with_reviews(),
            staff={**staff_read, Role.REVIEWERS: ("view",)},
        )
        # A review recorded changes what an article's detail states.
        register(
            MedicalReview,
            staff={**staff_read, Role.REVIEWERS: ("view", "review_medical_content")},
        )
        notes = ("add", "change", "view")
        register(
            ReviewNote,
            served=False,
            staff={role: notes for role in Role},
        )

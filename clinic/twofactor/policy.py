"""Who must give a second factor after the password (setting ``STAFF_TWO_FACTOR``).

"privileged" (the default): superusers, and staff with any permission of
:data:`PRIVILEGED_PERMISSIONS`: whoever can publish, record medical reviews, manage users
and groups, or change contact lines and disclaimers (in the staff groups: Publishers,
Medical reviewers and the Translators, who change the text of contact lines and
disclaimers). "all": every staff user. Whoever has set up a second factor gives it always,
whatever the setting.
"""

from django.conf import settings

#: Permissions whose holders must sign in with a second factor.
PRIVILEGED_PERMISSIONS = (
    # Publishing: articles, and each language of every translated object.
    "articles.publish_article",
    "i18n.publish_translation",
    # Medical reviews.
    "reviews.review_medical_content",
    # Users, groups and what they may do.
    "auth.add_user",
    "auth.change_user",
    "auth.delete_user",
    "auth.add_group",
    "auth.change_group",
    "auth.delete_group",
    # Contact lines and disclaimers (translators change their text in their language).
    "clinic.add_contactline",
    "clinic.change_contactline",
    "clinic.delete_contactline",
    "clinic.add_disclaimer",
    "clinic.change_disclaimer",
    "clinic.delete_disclaimer",
)


def requires_two_factor(user) -> bool:
    """Whether ``user``'s role obliges them to sign in with a second factor."""
    if not (user.is_active and user.is_staff):
        return False
    if user.is_superuser or settings.STAFF_TWO_FACTOR == "all":
        return True
    return any(user.has_perm(permission) for permission in PRIVILEGED_PERMISSIONS)

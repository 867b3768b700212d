"""Inlines whose "Add another …" link is one translatable phrase.

Django builds the link's label from a pattern and the inline's verbose name
(``"Add another %(verbose_name)s"``), which no translation of the pattern makes
grammatical in every language: Arabic agrees "another" with the noun's gender and
takes it without its article ("إضافة مرجع آخر", but "إضافة ملاحظة أخرى"), Ukrainian
puts the noun in the accusative ("Додати ще одне джерело", "Додати ще одну примітку").
An inline states the whole phrase instead, as ``add_another_label``.
"""

import json

from django.contrib.admin import helpers


class LabelledInlineAdminFormSet(helpers.InlineAdminFormSet):
    """Django's inline formset wrapper, with the inline's own ``add_another_label``."""

    @classmethod
    def of(cls, wrapper: helpers.InlineAdminFormSet) -> "LabelledInlineAdminFormSet":
        return cls(
            wrapper.opts,
            wrapper.formset,
            wrapper.fieldsets,
            wrapper.prepopulated_fields,
            wrapper.readonly_fields,
            model_admin=wrapper.model_admin,
            has_add_permission=wrapper.has_add_permission,
            has_change_permission=wrapper.has_change_permission,
            has_delete_permission=wrapper.has_delete_permission,
            has_view_permission=wrapper.has_view_permission,
        )

    def inline_formset_data(self) -> str:
        data = json.loads(super().inline_formset_data())
        label = getattr(self.opts, "add_another_label", None)
        if label:
            data["options"]["addText"] = str(label)
        return json.dumps(data)


class InlineLabelsMixin:
    """For a ``ModelAdmin``: its inlines' "Add another …" links read their ``add_another_label``."""

    def get_inline_formsets(self, request, formsets, inline_instances, obj=None):
        wrappers = super().get_inline_formsets(request, formsets, inline_instances, obj)
        return [LabelledInlineAdminFormSet.of(wrapper) for wrapper in wrappers]

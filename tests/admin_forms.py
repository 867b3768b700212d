"""Submit admin change forms as a browser would: every field with its current value."""

from django import forms


def _field_data(bound_field) -> dict:
    widget = bound_field.field.widget
    name = bound_field.html_name
    value = bound_field.value()
    if isinstance(widget, forms.MultiWidget):
        parts = value if isinstance(value, list) else widget.decompress(value)
        return {
            f"{name}{widget.widgets_names[index]}": sub.format_value(part) or ""
            for index, (sub, part) in enumerate(zip(widget.widgets, parts, strict=False))
        }
    if isinstance(widget, forms.CheckboxInput):
        return {name: "on"} if value else {}
    if isinstance(value, list | tuple):
        return {name: [str(item) for item in value]}
    return {name: "" if value is None else str(value)}


def _form_data(form) -> dict:
    data = {}
    for bound_field in form:
        data.update(_field_data(bound_field))
    return data


def admin_form_data(response, **changes) -> dict:
    """POST data of the admin change form in ``response``, with ``changes`` applied."""
    data = _form_data(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_form_data(formset.management_form))
        for form in formset.forms:
            data.update(_form_data(form))
    data.update({key: value for key, value in changes.items()})
    return data

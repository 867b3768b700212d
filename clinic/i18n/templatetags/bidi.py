"""``{% load bidi %}``: ``{{ value|ltr }}`` and ``{{ object|isolate }}`` (see clinic.i18n.bidi)."""

from django import template

from clinic.i18n import bidi

register = template.Library()

register.filter("ltr", bidi.ltr, is_safe=True)
register.filter("isolate", bidi.isolate, is_safe=True)
# Plain text in, plain text out (still escaped by the template as usual).
register.filter("isolate_text", bidi.isolate_text, is_safe=False)

"""``{% load bidi %}``: ``{{ value|ltr }}`` and ``{{ object|isolate }}`` (see clinic.i18n.bidi)."""

from django import template

from clinic.i18n import bidi

register = template.Library()

register.filter("ltr", bidi.ltr, is_safe=True)
register.filter("isolate", bidi.isolate, is_safe=True)

"""The model-based rendering of the clinic's endpoints: the reference implementation.

Public reads are served from the read model (:mod:`clinic.api.views`); these
views render the same responses from the models at request time, as the API
did before it had one. Tests compare the two (``tests/published/``), and the
read model's documents are rendered by the same serializers.
"""

from rest_framework import generics
from rest_framework.response import Response

from clinic.api.documents import contact_lines_arranged
from clinic.api.serializers import (
    ContactLineSerializer,
    DisclaimerSerializer,
    LanguageSerializer,
)
from clinic.api.views import ApiViewMixin
from clinic.i18n.languages import languages
from clinic.i18n.state import attach_states
from clinic.models import ContactLine, Disclaimer


class TranslatedListView(ApiViewMixin, generics.ListAPIView):
    """An unpaginated list of translated objects, their states loaded in one query."""

    pagination_class = None
    filter_backends = []

    def list(self, request, *args, **kwargs):
        objects = self.arrange(list(self.get_queryset()))
        attach_states(objects, serving=request.LANGUAGE_CODE)
        return Response(self.get_serializer(objects, many=True).data)

    def arrange(self, objects: list) -> list:
        return objects


class ContactLineListView(TranslatedListView):
    """The clinic's lines; those that speak the request language come first."""

    serializer_class = ContactLineSerializer

    def get_queryset(self):
        return ContactLine.objects.all()

    def arrange(self, objects: list) -> list:
        return contact_lines_arranged(objects, self.request.LANGUAGE_CODE)


class DisclaimerListView(TranslatedListView):
    serializer_class = DisclaimerSerializer

    def get_queryset(self):
        return Disclaimer.objects.all()


class LanguageListView(ApiViewMixin, generics.ListAPIView):
    serializer_class = LanguageSerializer
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        return list(languages())

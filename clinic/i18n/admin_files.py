"""Translation files in the browser: a translator downloads a language's file and uploads it back.

The admin page (``matrix/files/``, linked from the translation matrix) wraps
the exchange that the management commands use, with the same checks:

* **Download** a PO or XLIFF file of one language: every entry, or only the
  missing or the stale ones.
* **Upload** a translated file: it is checked whole as a dry run and shown as
  a preview (each entry that would change, with a word diff of the old and new
  translation; conflicts; sanitised HTML; errors). The file waits in the
  user's session; **Apply** imports it all or nothing with the same checks
  again, recording the user and the file name as the origin.

A user works only on the languages whose fields they may edit
(``i18n.translate_<lang>``; otherwise 403) and only on the content types they
may change in this admin; a file larger than ``TRANSLATION_UPLOAD_MAX_BYTES``
is refused. Nothing is written on refusal.
"""

import base64
import secrets
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.exceptions import NotRegistered
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils.safestring import SafeString
from django.utils.translation import get_language_info, gettext, ngettext
from django.utils.translation import gettext_lazy as _

from clinic.i18n.diff import source_diff_html
from clinic.i18n.exchange import (
    CONTENT_TYPES,
    EXTENSIONS,
    ChangeKind,
    EntryChange,
    ImportFailed,
    ImportReport,
    translations_export,
    translations_import_data,
    write_translations,
)
from clinic.i18n.exchange.po import models_by_label, parse_context
from clinic.i18n.languages import get_language, target_languages, translator_languages
from clinic.i18n.registry import api_name, translatable_models

SESSION_KEY = "translation_upload"
FORMAT_LABELS = {"po": _("PO (Poedit, Weblate, Lokalize)"), "xliff": _("XLIFF 1.2 (CAT tools)")}
KIND_LABELS = {
    ChangeKind.NEW: _("new translation"),
    ChangeKind.UPDATED: _("updated"),
    ChangeKind.MADE_CURRENT: _("was stale, now current"),
}
ONLY_LABELS = {
    "all": _("All entries"),
    "missing": _("Missing translations only"),
    "stale": _("Stale translations only (the English changed)"),
}


def _language_choices(codes: list[str]) -> list[tuple[str, str]]:
    return [(code, get_language_info(code)["name_translated"]) for code in codes]


class DownloadForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"))
    only = forms.ChoiceField(
        label=_("Entries"),
        choices=list(ONLY_LABELS.items()),
        initial="all",
        widget=forms.RadioSelect,
    )
    file_format = forms.ChoiceField(
        label=_("Format"),
        choices=list(FORMAT_LABELS.items()),
        initial="po",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, languages: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = _language_choices(languages)


class UploadForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"))
    file = forms.FileField(
        label=_("Translated file"),
        help_text=_("A PO or XLIFF file downloaded here (or exported with export_translations)."),
    )

    def __init__(self, *args, languages: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = _language_choices(languages)
        self.fields["file"].widget.attrs["accept"] = ".po,.xlf,.xliff"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.TRANSLATION_UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                gettext("The file is %(size)s; files up to %(limit)s are accepted.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
                code="too_large",
            )
        return upload


@dataclass(frozen=True)
class PreviewRow:
    """One entry that would change, as the preview shows it."""

    change: EntryChange
    admin_url: str
    diff: SafeString

    @property
    def kind(self) -> str:
        return str(KIND_LABELS[self.change.kind])


class TranslationFilesView:
    """The page and its three actions; built by :class:`TranslationStateAdmin` for its site."""

    def __init__(self, model_admin: admin.ModelAdmin) -> None:
        self.model_admin = model_admin
        self.admin_site = model_admin.admin_site

    def urls(self) -> list[URLPattern]:
        opts = self.model_admin.opts
        prefix = f"{opts.app_label}_{opts.model_name}_files"
        view = self.admin_site.admin_view
        return [
            path("matrix/files/", view(self.page), name=prefix),
            path("matrix/files/download/", view(self.download), name=f"{prefix}_download"),
            path("matrix/files/upload/", view(self.upload), name=f"{prefix}_upload"),
            path("matrix/files/apply/", view(self.apply), name=f"{prefix}_apply"),
        ]

    # Permissions

    def _languages(self, request: HttpRequest) -> list[str]:
        languages = translator_languages(request.user)
        if not languages:
            raise PermissionDenied
        return languages

    def _require_language(self, request: HttpRequest, language: str) -> None:
        """403 if ``language`` is a target language the user may not translate into.

        Checked before anything else; another value is the form's to refuse (400).
        """
        if language in target_languages() and language not in translator_languages(request.user):
            raise PermissionDenied

    def _changeable_models(self, request: HttpRequest) -> list[type[models.Model]]:
        """Translated models registered here that the user may change: what their files hold."""
        changeable = []
        for model in translatable_models():
            try:
                model_admin = self.admin_site.get_model_admin(model)
            except NotRegistered:
                continue
            if model_admin.has_change_permission(request):
                changeable.append(model)
        if not changeable:
            raise PermissionDenied
        return changeable

    # Views

    def page(self, request: HttpRequest) -> TemplateResponse:
        languages = self._languages(request)
        return self._render(
            request,
            download_form=DownloadForm(languages=languages),
            upload_form=UploadForm(languages=languages),
        )

    def download(self, request: HttpRequest) -> HttpResponse:
        languages = self._languages(request)
        self._require_language(request, request.GET.get("language", ""))
        form = DownloadForm(request.GET, languages=languages)
        if not form.is_valid():
            return self._render(
                request,
                download_form=form,
                upload_form=UploadForm(languages=languages),
                status=400,
            )
        language, only, file_format = (
            form.cleaned_data[name] for name in ("language", "only", "file_format")
        )
        po = translations_export(
            language=language,
            only=only,
            model_names=[api_name(model) for model in self._changeable_models(request)],
        )
        response = HttpResponse(write_translations(po, file_format), CONTENT_TYPES[file_format])
        name = f"clinic-content-{language}-{only}.{EXTENSIONS[file_format]}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def upload(self, request: HttpRequest) -> TemplateResponse | HttpResponse:
        languages = self._languages(request)
        if request.method != "POST":
            return HttpResponseRedirect(self._url("files"))
        self._require_language(request, request.POST.get("language", ""))
        form = UploadForm(request.POST, request.FILES, languages=languages)
        if not form.is_valid():
            too_large = any(
                error.code == "too_large" for error in form.errors.as_data().get("file", [])
            )
            return self._render(
                request,
                download_form=DownloadForm(languages=languages),
                upload_form=form,
                status=413 if too_large else 400,
            )
        upload = form.cleaned_data["file"]
        data = upload.read()
        language = form.cleaned_data["language"]
        request.session.pop(SESSION_KEY, None)
        try:
            report = translations_import_data(
                data=data,
                file_name=upload.name,
                dry_run=True,
                language=language,
                by=request.user,
                allowed_models=self._changeable_models(request),
            )
        except ImportFailed as failed:
            return self._render_report(request, failed.report, language, refused=True)
        token = secrets.token_urlsafe(16)
        request.session[SESSION_KEY] = {
            "token": token,
            "name": upload.name,
            "language": language,
            "data": base64.b64encode(data).decode("ascii"),
        }
        return self._render_report(request, report, language, token=token)

    def apply(self, request: HttpRequest) -> TemplateResponse | HttpResponse:
        self._languages(request)
        if request.method != "POST":
            return HttpResponseRedirect(self._url("files"))
        stored = request.session.get(SESSION_KEY) or {}
        if not stored or not secrets.compare_digest(stored["token"], request.POST.get("token", "")):
            messages.error(
                request,
                gettext("That upload is no longer waiting to be applied; upload the file again."),
            )
            return HttpResponseRedirect(self._url("files"))
        self._require_language(request, stored["language"])
        data = base64.b64decode(stored["data"])
        try:
            report = translations_import_data(
                data=data,
                file_name=stored["name"],
                language=stored["language"],
                by=request.user,
                allowed_models=self._changeable_models(request),
            )
        except ImportFailed as failed:
            return self._render_report(request, failed.report, stored["language"], refused=True)
        finally:
            request.session.pop(SESSION_KEY, None)
        messages.success(
            request,
            ngettext(
                "%(file)s: %(count)d translation applied.",
                "%(file)s: %(count)d translations applied.",
                len(report.updated),
            )
            % {"file": report.file, "count": len(report.updated)},
        )
        return self._render_report(request, report, stored["language"], applied=True)

    # Rendering

    def _url(self, name: str) -> str:
        opts = self.model_admin.opts
        return reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_{name}",
            current_app=self.admin_site.name,
        )

    def _admin_url(self, context: str) -> str:
        parsed = parse_context(context, models_by_label())
        if parsed is None:
            return ""
        model, pk, _name = parsed
        try:
            return reverse(
                f"{self.admin_site.name}:{model._meta.app_label}_{model._meta.model_name}_change",
                args=[pk],
                current_app=self.admin_site.name,
            )
        except NoReverseMatch:
            return ""

    def _render_report(
        self,
        request: HttpRequest,
        report: ImportReport,
        language: str,
        *,
        token: str = "",
        refused: bool = False,
        applied: bool = False,
    ) -> TemplateResponse:
        rows = [
            PreviewRow(
                change, self._admin_url(change.context), source_diff_html(change.old, change.new)
            )
            for change in report.updated
        ]
        languages = translator_languages(request.user)
        return self._render(
            request,
            download_form=DownloadForm(languages=languages),
            upload_form=UploadForm(languages=languages, initial={"language": language}),
            report=report,
            rows=rows,
            token=token,
            refused=refused,
            applied=applied,
            report_language=get_language(language),
            status=400 if refused else 200,
        )

    def _render(self, request: HttpRequest, *, status: int = 200, **context) -> TemplateResponse:
        return TemplateResponse(
            request,
            "admin/i18n/translation_files.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Translation files"),
                "opts": self.model_admin.opts,
                "can_view_states": self.model_admin.has_view_permission(request),
                "matrix_url": self._url("matrix"),
                "download_url": self._url("files_download"),
                "upload_url": self._url("files_upload"),
                "apply_url": self._url("files_apply"),
                "max_bytes": settings.TRANSLATION_UPLOAD_MAX_BYTES,
                **context,
            },
            status=status,
        )

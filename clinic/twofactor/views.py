"""The pages of two-factor sign-in, in the admin's look (both directions) and under /admin/.

``verify`` and ``setup`` are open to a user who has given only a password (the middleware
sends them there); the others need the second factor like every admin page.
"""

from urllib.parse import urlencode

from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from clinic.twofactor import services
from clinic.twofactor.forms import CodeForm
from clinic.twofactor.policy import requires_two_factor

#: Recovery codes waiting to be shown once, on the next page (kept in the session).
NEW_CODES_KEY = "_two_factor_new_recovery_codes"


def _render(request: HttpRequest, template: str, title: str, **context) -> TemplateResponse:
    context = {
        **admin.site.each_context(request),
        "title": title,
        # Before the second factor the admin's navigation would only lead back here.
        "has_permission": request.user.is_verified(),
        **context,
    }
    return TemplateResponse(request, f"twofactor/{template}.html", context)


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("admin:index")


def _to(url_name: str, request: HttpRequest) -> HttpResponse:
    """A redirect to ``url_name`` that keeps where the user was going."""
    return redirect(f"{reverse(url_name)}?{urlencode({'next': _next(request)})}")


def _show_codes_next(request: HttpRequest, codes: list[str]) -> HttpResponse:
    request.session[NEW_CODES_KEY] = codes
    return _to("two-factor-recovery-codes", request)


def _refused(form: CodeForm, outcome: services.Outcome, wrong: str) -> None:
    """Say why a code was not taken: wrong, or too soon after wrong ones."""
    if outcome.wait_seconds:
        wrong = ngettext(
            "Too many wrong codes. Try again in %(seconds)d second.",
            "Too many wrong codes. Try again in %(seconds)d seconds.",
            outcome.wait_seconds,
        ) % {"seconds": outcome.wait_seconds}
    form.add_error("code", wrong)


@never_cache
@staff_member_required
def verify(request: HttpRequest) -> HttpResponse:
    """The code asked after the password."""
    if request.user.is_verified():
        return redirect(_next(request))
    if not services.enrolled(request.user):
        return _to("two-factor-setup", request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = services.verify(request, form.cleaned_data["code"])
        if outcome.verified:
            if outcome.recovery_codes_left is not None:
                messages.warning(
                    request,
                    ngettext(
                        "You signed in with a recovery code; %(count)d is left. "
                        "Make new recovery codes on the two-factor page.",
                        "You signed in with a recovery code; %(count)d are left. "
                        "Make new recovery codes on the two-factor page.",
                        outcome.recovery_codes_left,
                    )
                    % {"count": outcome.recovery_codes_left},
                )
            return redirect(_next(request))
        _refused(
            form,
            outcome,
            _(
                "This code is not right. Enter the code your authenticator app shows now, "
                "or one of your recovery codes."
            ),
        )
    return _render(request, "verify", _("Enter your sign-in code"), form=form, next=_next(request))


@never_cache
@staff_member_required
def setup(request: HttpRequest) -> HttpResponse:
    """Setting up an authenticator app: scan or type the key, confirm with a code."""
    user = request.user
    if services.enrolled(user):
        # Replacing an authenticator takes the current one (or a reset by an administrator).
        return _to("two-factor" if user.is_verified() else "two-factor-verify", request)
    device = services.enrolment_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = services.confirm_enrolment(request, device, form.cleaned_data["code"])
        if outcome.verified:
            messages.success(request, _("Two-factor sign-in is set up."))
            return _show_codes_next(request, outcome.recovery_codes)
        _refused(
            form,
            outcome,
            _(
                "This code is not right. Check that the app shows the account you just added, "
                "and that your phone's clock is set automatically."
            ),
        )
    return _render(
        request,
        "setup",
        _("Set up two-factor sign-in"),
        form=form,
        next=_next(request),
        qr_code=services.qr_code_svg(device),
        secret_key=services.secret_key(device),
        required=requires_two_factor(user),
    )


@never_cache
@staff_member_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes, shown once."""
    codes = request.session.pop(NEW_CODES_KEY, None)
    if not codes:
        return redirect("two-factor")
    return _render(
        request, "recovery_codes", _("Your recovery codes"), codes=codes, next=_next(request)
    )


@never_cache
@staff_member_required
def overview(request: HttpRequest) -> HttpResponse:
    """The user's own two-factor page: its state, new recovery codes, a new authenticator."""
    user = request.user
    return _render(
        request,
        "overview",
        _("Two-factor sign-in"),
        enrolled=services.enrolled(user),
        required=requires_two_factor(user),
        recovery_codes_left=services.recovery_codes_left(user),
    )


@require_POST
@staff_member_required
def renew_recovery_codes(request: HttpRequest) -> HttpResponse:
    if not services.enrolled(request.user):
        return redirect("two-factor-setup")
    return _show_codes_next(request, services.renew_recovery_codes(request))


@require_POST
@staff_member_required
def replace_authenticator(request: HttpRequest) -> HttpResponse:
    """Start again with another authenticator app (a new phone): the old one stops working."""
    services.reset(request.user, request=request, reason="replaced by the user")
    messages.info(request, _("Your old authenticator app no longer works. Set up the new one."))
    return redirect("two-factor-setup")

"""Staff who must give a second factor reach no admin page before they have given it."""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from clinic.twofactor.services import enrolled, needs_second_factor

#: The admin's URL names still open before the second factor: signing in and out.
OPEN_ADMIN_PAGES = ("admin:login", "admin:logout")
#: The pages of the second factor itself.
FACTOR_PAGES = ("two-factor-verify", "two-factor-setup")


class TwoFactorRequiredMiddleware:
    """After the password, every admin request of a user who needs a second factor and has
    not given one in this session goes to the code page (or to setting it up, the first
    time), and comes back afterwards: a password alone opens no admin page.

    Runs after ``OTPMiddleware`` (``request.user.is_verified()``).
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response
        self._admin_prefix = None
        self._open_paths = None

    def __call__(self, request):
        if self._admin_prefix is None:
            self._admin_prefix = reverse("admin:index")
            self._open_paths = {reverse(name) for name in (*OPEN_ADMIN_PAGES, *FACTOR_PAGES)}
        path = request.path
        if (
            path.startswith(self._admin_prefix)
            and path not in self._open_paths
            and needs_second_factor(request.user)
        ):
            return self._to_factor_page(request)
        return self.get_response(request)

    @staticmethod
    def _to_factor_page(request):
        page = "two-factor-verify" if enrolled(request.user) else "two-factor-setup"
        query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        return redirect(reverse(page) + (f"?{query}" if query else ""))

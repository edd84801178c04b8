"""Request and response handling that protects readers and editors."""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings


def client_ip_address(request) -> str | None:
    """The address the request came from, as the site's own proxies report it.

    Without proxies (TRUSTED_PROXY_COUNT = 0) this is the connection's address.
    Behind N proxies of our own, each appends the address it received the
    request from to X-Forwarded-For, so the N-th entry from the right is the
    one the outermost proxy saw; anything further left was written by the
    client and could be forged to dodge a lockout or to lock someone else out.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return request.META.get("REMOTE_ADDR")
    forwarded = [
        address.strip()
        for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if address.strip()
    ]
    if len(forwarded) < proxies:
        # The request did not pass through every proxy: it reached the server
        # some other way, so the connection's address is the only one to trust.
        return request.META.get("REMOTE_ADDR")
    return forwarded[-proxies]


class PermissionsPolicyMiddleware:
    """Tell browsers the site never uses the camera, microphone, location and the like."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """The site's strict policy, with the one relaxation Django's admin needs.

    The admin's own templates set a few inline style attributes; public pages
    set none, so only the admin is allowed them. Scripts stay strict everywhere.
    """

    ADMIN_PREFIX = "/admin/"

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(self.ADMIN_PREFIX):
            parts.update = {**(parts.update or {}), "style-src": ["'unsafe-inline'"]}
        return parts

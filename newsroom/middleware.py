"""Response headers that protect readers and editors."""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings


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

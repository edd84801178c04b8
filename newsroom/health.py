"""/healthz: whether this server can serve pages, for load balancers and monitors."""

import logging

from django.db import Error as DatabaseFailure
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .views import RETRY_AFTER_SECONDS

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request):
    """200 {"status": "ok"} when the database answers a query; 503 when it does not.

    Never cached, and no session is touched, so every probe asks the database afresh.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseFailure as error:
        logger.warning("Health check failed: the database did not answer: %s", error)
        return JsonResponse(
            {"status": "unavailable", "database": "unreachable"},
            status=503,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    return JsonResponse({"status": "ok", "database": "ok"})

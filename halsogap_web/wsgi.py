"""WSGI entry point for production servers (gunicorn ``halsogap_web.wsgi:application``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "halsogap_web.settings")
application = get_wsgi_application()

# Each server process rebuilds its evidence frames in the background when the data changes,
# so that no reader waits after an import (HALSOGAP_WARM_IN_BACKGROUND=0 turns it off).
if os.environ.get("HALSOGAP_WARM_IN_BACKGROUND", "1") != "0":
    from halsogap_web.evidence_warmer import start

    start()

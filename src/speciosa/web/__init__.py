"""The web app and JSON API: ``speciosa serve``.

from speciosa.web import create_app, WebSettings
app = create_app(WebSettings(database_url="journal.sqlite"))
"""

from speciosa.web.app import create_app
from speciosa.web.settings import WebSettings

__all__ = ["WebSettings", "create_app"]

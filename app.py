"""Entry point: `flask --app app ...` and WSGI servers import `app` from here."""

from quiz import create_app

app = create_app()

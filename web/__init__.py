"""The reviewer web app: server-rendered pages (Jinja2, htmx) over the ledger and its views.

`api` mounts it (`web.mounting.install_web`) and hands it what only `api` has (reading a
token, the signing secret) as a `web.backend.Backend`; `web` never imports `api`. See
web/README.md for how pages, sessions and CSRF fit together.
"""

"""The web app: pages for people, served by the same process as the API."""

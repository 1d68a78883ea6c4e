"""A real OpenID Connect provider for the tests: django-oauth-toolkit, served on its own
live server thread at 127.0.0.1 while Charcot runs at localhost (two origins, two sets of
cookies, as with a real provider). Installed by charcot.settings.test only."""

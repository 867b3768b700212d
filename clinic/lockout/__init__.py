"""Lockout of staff sign-in after repeated failures (django-axes, configured in settings)."""

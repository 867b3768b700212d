"""The bare limit: the fewest layers a Django response can go through (see bench/README.md).

``bench.bare.settings`` has no installed app, no middleware and no database;
``bench.bare.urls`` has one view that answers constant bytes; ``bench.bare.wsgi``
is what gunicorn serves. bench.run fills the bytes with the project's own Arabic
detail response, so the bare limit and the endpoint it is the ceiling of send
the same body.
"""

# The URL of the one view (without its leading slash, as Django's ``path()`` takes it).
PATH = "bench/bare/"

"""Live faults: the service's dependencies stopped, blocked and restarted around real requests.

``services`` runs a Redis server and a throwaway PostgreSQL cluster of their own
(never the machine's shared ones), ``proxy`` a TCP proxy the caller switches
between forwarding, refusing and blackholing, ``stack`` gunicorn in production
settings on them, ``load`` a steady load over every public endpoint and
``editor`` an editor committing numbered titles through the write path, so that
"no response older than the last commit" can be judged. ``drill`` puts them
together (``python -m bench.faults.drill``, ``make drill``); ``tests/faults/``
asserts the same faults.
"""

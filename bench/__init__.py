"""Performance benchmark of the public API (see bench/README.md). Not part of the app."""

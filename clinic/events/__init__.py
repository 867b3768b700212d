"""Change events (an outbox written with each change of public content) and their webhooks."""

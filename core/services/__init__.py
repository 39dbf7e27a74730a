"""Core services: business logic taking a session and plain values, never a request."""

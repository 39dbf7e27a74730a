"""Core's web pages: public, accounts, organizer console, site admin, API docs."""

"""Gelar's built-in plugins, discovered like third-party ones through entry points."""

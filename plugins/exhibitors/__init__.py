"""Exhibitors plugin: exhibitor profiles, the innovation catalogue, booths and floor plan."""

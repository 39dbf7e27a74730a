"""Voting plugin: rubric, judging, normalisation, ranking, people's choice, results."""

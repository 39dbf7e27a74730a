"""Symposium plugin: rooms, sessions, speakers, the timetable with conflict checks, iCal."""

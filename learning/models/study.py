"""Courses, lessons and study-time credit (学时). Filled in by the learning issue."""

"""Models (filled in by the app's issue)."""

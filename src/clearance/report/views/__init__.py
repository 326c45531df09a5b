"""Views of the bundle and catalogue for people: explain, browse."""

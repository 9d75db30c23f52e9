extensions = ["sphinx_partnerships"]
project = "Cards (reStructuredText)"
show_warning_types = True
exclude_patterns = ["_build"]

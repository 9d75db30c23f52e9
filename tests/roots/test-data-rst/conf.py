extensions = ["sphinx_partnerships"]
project = "Data files (reStructuredText)"
show_warning_types = True
exclude_patterns = ["_build"]

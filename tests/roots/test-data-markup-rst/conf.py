extensions = ["sphinx_partnerships"]
project = "Markup in data files (reStructuredText)"
show_warning_types = True
exclude_patterns = ["_build"]

extensions = ["myst_parser", "sphinx_partnerships"]
myst_enable_extensions = ["colon_fence"]
project = "Ordinary text in data files"
show_warning_types = True
exclude_patterns = ["_build"]

extensions = ["myst_parser", "sphinx_partnerships"]
myst_enable_extensions = ["colon_fence"]
project = "Data files for the command line"
show_warning_types = True
exclude_patterns = ["_build", "data/_build"]

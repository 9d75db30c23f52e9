extensions = ["myst_parser", "sphinx_partnerships"]
myst_enable_extensions = ["colon_fence"]
show_warning_types = True

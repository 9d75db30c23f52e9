extensions = ["myst_parser", "sphinx_partnerships"]
myst_enable_extensions = ["colon_fence"]
html_theme = "pydata_sphinx_theme"
project = "Card grid columns"
show_warning_types = True

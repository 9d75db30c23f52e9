extensions = ["myst_parser", "sphinx_partnerships"]
myst_enable_extensions = ["colon_fence", "dollarmath"]
show_warning_types = True
project = "Travel"
exclude_patterns = ["_build"]
version = release = "1.0"
epub_copyright = "Travel authors"

extensions = ["myst_parser", "sphinx_partnerships"]
myst_enable_extensions = ["colon_fence"]
show_warning_types = True
project = "EPUB"
author = "EPUB authors"
copyright = "EPUB authors"
version = release = "1.0"
exclude_patterns = ["_build"]
language = "en"

project = "Builders"
copyright = "2024, Example"
author = "Example"
version = release = "1.0"
extensions = ["myst_parser", "sphinx_partnerships"]
myst_enable_extensions = ["colon_fence"]
show_warning_types = True

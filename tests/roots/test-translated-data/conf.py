extensions = ["myst_parser", "sphinx_partnerships"]
# substitutions are on: a translation's Jinja must never reach them
myst_enable_extensions = ["colon_fence", "substitution"]
project = "Translated data"
show_warning_types = True
exclude_patterns = ["_build"]
locale_dirs = ["locales"]

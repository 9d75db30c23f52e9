# One small site of every component; the theme comes from ``-D html_theme=...``.
extensions = ["myst_parser", "sphinx_partnerships"]
myst_enable_extensions = ["colon_fence"]
project = "Themes"
html_theme = "alabaster"
html_title = "Themes"
show_warning_types = True

extensions = ["myst_parser", "sphinx_partnerships"]
myst_enable_extensions = ["colon_fence"]
show_warning_types = True
project = "Export"
partnerships_project_exclude = ["drafts/*"]
exclude_patterns = ["_build"]

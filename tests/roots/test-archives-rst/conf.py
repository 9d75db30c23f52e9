extensions = ["sphinx_partnerships"]
show_warning_types = True
project = "Exchanges"
language = "en"
exclude_patterns = ["_build"]
partnerships_project_exclude = ["drafts/*"]
copyright = "2024, Exchanges"
version = "1.0"

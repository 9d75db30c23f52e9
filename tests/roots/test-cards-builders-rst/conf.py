extensions = ["sphinx_partnerships"]
project = "Card builders"
author = "Tests"
copyright = "2024, Tests"
show_warning_types = True
exclude_patterns = ["_build"]
version = "1.0"

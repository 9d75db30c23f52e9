extensions = ["sphinx_partnerships"]
show_warning_types = True

extensions = ["myst_parser", "sphinx_partnerships"]
myst_enable_extensions = ["colon_fence"]
project = "Print"
author = "Tests"
copyright = "2024, Tests"
version = release = "1.0"
exclude_patterns = ["_build"]
show_warning_types = True
# links of cards and entries become footnotes, as on Read the Docs' PDF
latex_show_urls = "footnote"
latex_documents = [("index", "print.tex", "Partnerships in print", "Example Agency", "howto")]
# the first page shows a timeline and a card grid (docs/images/pdf-page.png)
latex_elements = {"tableofcontents": ""}

extensions = ["myst_parser", "sphinx_partnerships"]
myst_enable_extensions = ["colon_fence"]
show_warning_types = True
project = "Addresses"
author = "Address Writers"
exclude_patterns = ["_build"]
html_baseurl = "https://example.org/en/latest/"
partnerships_feeds = {
    "activities": "feeds/activities.atom",
    "awards": "feeds/awards.atom",
    "tags": "feeds/tags/{tag}.atom",
}
partnerships_json_export = True

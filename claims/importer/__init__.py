"""
The article importer and feed watcher: fetch → extract → suggest → archive.

fetch.py fetches public pages safely, extract.py turns bytes into an Article, suggest.py drafts
the claim and response, similar.py finds claims that look alike, pipeline.py ties them
together for the task, the CLI and the desk, and watch.py polls outlets' feeds for leads.
"""

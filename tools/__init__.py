"""Developer tools that generate or check project data; not part of the installed package."""

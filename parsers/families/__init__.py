"""Bases shared by sites built on one template or CMS: a site spec adds its own data on top."""

"""Catalogues citizens ask about: services, crisis information, regions. Data, read at run time."""

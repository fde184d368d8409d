"""Writing an addendum as a Word document (.docx): its layout, tables, footers and package, on
the organisation's letterhead, in English, French or both. Pure: it takes the addendum's content
(content.py) and knows nothing of the database or the request, so that the addenda feature and
the settings page (which checks a letterhead by building on it) both use it."""

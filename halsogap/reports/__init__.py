"""Documents Hälsogap produces (action plans; later decision documents and annual reports).

Each document is built from plain content dataclasses, so the same content becomes HTML, PDF
(WeasyPrint) and DOCX (python-docx) without the web layer.
"""

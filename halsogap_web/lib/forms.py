"""Number fields as Swedish users type them: "0,3" and "0.3" both mean three tenths."""

from __future__ import annotations

from django import forms


class SwedishNumbers:
    """A form mixin: every float field accepts a decimal comma or point and shows a comma.

    Django localises such a field (``localize=True``), so it reads the active language's
    decimal separator and renders a text input; a browser's number input cannot show "0,3"
    and would silently submit nothing.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.FloatField | forms.DecimalField):
                field.localize = True
                field.widget = forms.TextInput(attrs={**field.widget.attrs, "inputmode": "decimal"})
                field.widget.is_localized = True

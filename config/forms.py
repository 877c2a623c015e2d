"""The project's form renderer: Django's, with selects written in Python.

Django renders each ``<option>`` of a select through two templates (``select_option.html`` and ``attrs.html``).
With the long lists this project has (countries, currencies, time zones, languages, staff), the case page rendered
about 70 selects' options through the template engine: at 1M cases that was most of the page's time, more than its
queries. This renderer writes ``django/forms/widgets/select.html`` (Select, SelectMultiple, NullBooleanSelect,
ModelChoiceField's select...) with ``format_html``, byte for byte what Django's templates write (escaped the same
way); every other template goes through Django's renderer. ``tests/config/test_form_renderer.py`` compares both.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import format_html, format_html_join

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


class QuickSelectRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget") if template_name == SELECT else None
        if widget is None or any(
            option["template_name"] != OPTION for _name, options, _index in widget["optgroups"] for option in options
        ):
            return super().render(template_name, context, request=request)
        return select_html(widget)


def _attrs(attrs: dict) -> str:
    """What attrs.html writes: in the dict's order, ``True`` as a bare name, ``False`` left out, the rest as text."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, str(value)),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


def select_html(widget: dict) -> str:
    """What Django's select.html writes for ``widget`` (a widget's context), whitespace included."""
    parts = [format_html('<select name="{}"{}>', widget["name"], _attrs(widget["attrs"]))]
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(format_html('\n  <optgroup label="{}">', group_name))
        for option in options:
            parts.append(
                format_html(
                    '\n  <option value="{}"{}>{}</option>\n',
                    str(option["value"]),
                    _attrs(option["attrs"]),
                    option["label"],
                )
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)

"""The project's form renderer: Django's, with selects written in Python.

Django renders each ``<option>`` of a select through two templates (``select_option.html`` and ``attrs.html``).
With the long lists this project has (countries, currencies, time zones, languages, staff), the case page rendered
about 70 selects' options through the template engine: at 1M cases that was most of the page's time, more than its
queries. This renderer writes ``django/forms/widgets/select.html`` (Select, SelectMultiple, NullBooleanSelect,
ModelChoiceField's select...), the plain ``<input>`` widgets, labels and empty error lists with ``format_html``,
byte for byte what Django's templates write (escaped the same way): the case list's filter form went from about
11 ms to a few. Every other template (the field group, radios, checkbox lists, textareas, non-empty errors) goes
through Django's renderer. ``tests/config/test_form_renderer.py`` compares both.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import format_html, format_html_join

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


# Widgets whose template is only ``{% include "django/forms/widgets/input.html" %}``.
INPUTS = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in ("text", "number", "email", "url", "password", "hidden", "date", "datetime", "time", "search", "tel")
)
INPUTS |= {"django/forms/widgets/color.html", "django/forms/widgets/checkbox.html"}
INPUT = "django/forms/widgets/input.html"
LABEL = "django/forms/label.html"
ERRORS = frozenset({"django/forms/errors/list/default.html", "django/forms/errors/list/ul.html"})


class QuickSelectRenderer(DjangoTemplates):
    """Selects, plain inputs, labels and empty error lists written in Python; everything else by the templates."""

    def render(self, template_name, context, request=None):
        if template_name == SELECT and _plain_options(context["widget"]):
            return select_html(context["widget"])
        if template_name in INPUTS or template_name == INPUT:
            return input_html(context["widget"])
        if template_name == LABEL:
            return label_html(context)
        if template_name in ERRORS and not context.get("errors"):
            return ""
        return super().render(template_name, context, request=request)


def _plain_options(widget: dict) -> bool:
    return all(
        option["template_name"] == OPTION for _name, options, _index in widget["optgroups"] for option in options
    )


def input_html(widget: dict) -> str:
    """What input.html writes (text, number, date, hidden, checkbox, ...)."""
    value = "" if widget["value"] is None else format_html(' value="{}"', str(widget["value"]))
    return format_html(
        '<input type="{}" name="{}"{}{}>', widget["type"], widget["name"], value, _attrs(widget["attrs"])
    )


def label_html(context: dict) -> str:
    """What label.html writes: the tag (label or legend) with its attributes around the label, or the label alone."""
    if not context["use_tag"]:
        return format_html("{}", context["label"])
    return format_html("<{}{}>{}</{}>", context["tag"], _attrs(context["attrs"]), context["label"], context["tag"])


def _attrs(attrs: dict) -> str:
    """What attrs.html writes: in the dict's order, ``True`` as a bare name, ``False`` left out, the rest as text."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, str(value)),)
            for name, value in (attrs or {}).items()
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

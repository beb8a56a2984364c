"""Publish the JSON Schema of the engagement file format with the HTML docs.

The schema's ``$id`` (``outsourcekit._schema.SCHEMA_ID``) points into the
documentation site; this extension writes the schema there, at the same path
below the HTML output, once the build has succeeded.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: Where the schema's ``$id`` points, below the root of a version of the docs.
SCHEMA_PATH = Path("schema", "engagement-1.json")


def schema_text() -> str:
    """Return the schema as ``outsourcekit schema`` prints it."""
    from outsourcekit._schema import SCHEMA_ID, schema

    if not SCHEMA_ID.endswith("/" + SCHEMA_PATH.as_posix()):
        msg = f"the schema's $id {SCHEMA_ID} does not end in {SCHEMA_PATH}"
        raise ValueError(msg)
    return json.dumps(schema(), indent=2, ensure_ascii=False) + "\n"


def write_schema(app: Sphinx, exception: BaseException | None) -> None:
    """Write the schema into the HTML output, unless the build failed."""
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / SCHEMA_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(schema_text(), encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the writer to run at the end of the build."""
    app.connect("build-finished", write_schema)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

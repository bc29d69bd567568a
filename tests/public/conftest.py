# The staff roles and accounts of the workflow tests, shared.
from tests.workflow.conftest import (  # noqa: F401
    _quick_passwords,
    as_editor,
    editor,
    researcher,
    roles,
)

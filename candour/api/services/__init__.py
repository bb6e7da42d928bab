"""The API app's use cases: the only code that writes to its tables. Each writes its audit event."""

from candour.api.services.integrations import create_integration
from candour.api.services.keys import IssuedKey, issue_key, revoke_key, rotate_key

__all__ = ["IssuedKey", "create_integration", "issue_key", "revoke_key", "rotate_key"]

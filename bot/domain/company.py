"""Our own company as the documents name it: 「欢迎…莅临上海某某科技有限公司」 rather than 我司.

Set once by an admin (``/company``); until then the documents keep saying 我司 / our company.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# The profile is one document; its id never changes.
PROFILE_ID = 1
NAME_MAX = 100


@dataclass(frozen=True)
class CompanyProfile:
    name: str
    set_by: int  # staff user id of the admin who set it
    set_at: datetime
    id: int = PROFILE_ID

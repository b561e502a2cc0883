"""Reply by email (docs/email-replies.md): reply addresses on outgoing email (`tokens`), reading an
inbound message (`parsing`) and the one service that posts it or refuses it (`receive`)."""

from .receive import REASONS, Receipt, receive_email  # noqa: F401
from .tokens import reply_address  # noqa: F401

"""Outgoing mail over real SMTP, configured by environment variables. With no SMTP host
(the embedded default) messages are written as .eml files to a local outbox instead,
and the caller says so: saved, not sent.

CLOSEOUT_SMTP_HOST, CLOSEOUT_SMTP_PORT (587 with STARTTLS, 465 with TLS, else 25),
CLOSEOUT_SMTP_USER, CLOSEOUT_SMTP_PASSWORD, CLOSEOUT_SMTP_SECURITY (starttls | tls | none),
CLOSEOUT_SMTP_FROM, CLOSEOUT_SMTP_TIMEOUT (seconds, default 15), CLOSEOUT_OUTBOX (folder).
"""

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid

from ..domain import clock
from ..domain.errors import DomainError
from ..settings import MailSettings

TIMED_OUT = "The mail server did not answer in time. Nothing was sent; try again."


class MailError(DomainError):
    """The message could not be handed to the mail server; nothing was sent."""


def compose(settings: MailSettings, to: list[str], subject: str, body: str, attachment: bytes | None,
            filename: str, reply_to: str = "") -> EmailMessage:  # fmt: skip
    """A message with the PDF `attachment` (None: a plain notice, nothing attached)."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = settings.sender, ", ".join(to), subject
    message["Message-ID"] = make_msgid(domain="closeout.local")
    if reply_to:
        message["Reply-To"] = reply_to
    message.set_content(body or " ")
    if attachment is not None:
        message.add_attachment(attachment, maintype="application", subtype="pdf", filename=filename)
    return message


def deliver(message: EmailMessage, settings: MailSettings | None = None) -> str:
    """Send (or, without SMTP, save to the outbox); returns "sent" or "saved to outbox".
    Every failure is a MailError with a message the rep can act on."""
    settings = settings or MailSettings.from_env()
    if not settings.configured:
        settings.outbox.mkdir(parents=True, exist_ok=True)
        name = f"{clock.now():%Y%m%dT%H%M%S%fZ}-{message['Message-ID'].strip('<>').split('@')[0]}.eml"
        (settings.outbox / name).write_bytes(bytes(message))
        return "saved to outbox"
    try:
        refused = _smtp_send(message, settings)
    except smtplib.SMTPAuthenticationError:
        raise MailError("The mail server did not accept Closeout's user name or password. Nothing was sent.") from None
    except smtplib.SMTPRecipientsRefused as error:
        refused = ", ".join(error.recipients)
        raise MailError(f"The mail server refused {refused}. Nothing was sent.") from None
    except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as error:
        detail = error.smtp_error.decode(errors="replace") if isinstance(error.smtp_error, bytes) else error.smtp_error
        raise MailError(f"The mail server refused the message ({error.smtp_code} {detail}). Nothing was sent.") from None
    except TimeoutError:
        raise MailError(TIMED_OUT) from None
    except smtplib.SMTPServerDisconnected as error:
        if "timed out" in str(error):  # smtplib reports a read timeout as a disconnect
            raise MailError(TIMED_OUT) from None
        raise MailError("The mail server closed the connection. Nothing was sent; try again.") from None
    except (smtplib.SMTPException, OSError, ssl.SSLError) as error:
        raise MailError(f"Could not reach the mail server ({error.__class__.__name__}). Nothing was sent; "
                        "try again.") from None  # fmt: skip
    # Some recipients refused, the others took it: it was sent (a retry would send it twice to
    # them), and the delivery recorded says how many did not get it.
    return f"sent; {len(refused)} of {len(refused) + _accepted(message, refused)} refused" if refused else "sent"


def _accepted(message: EmailMessage, refused: dict) -> int:
    return max(0, len([a for a in str(message["To"]).split(",") if a.strip()]) - len(refused))


def _smtp_send(message: EmailMessage, settings: MailSettings) -> dict:
    context = ssl.create_default_context()
    if settings.security == "tls":
        client = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout, context=context)
    else:
        client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    with client:
        if settings.security == "starttls":
            client.starttls(context=context)
        if settings.user:
            client.login(settings.user, settings.password)
        return client.send_message(message)  # the recipients refused while others were accepted

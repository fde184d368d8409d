"""Sending mail: over SMTP when a server is configured, else into .eml files in the outbox folder.

Nothing here knows about reminders; the sweep decides what to send and records what happened.
"""

import re
import smtplib
import ssl
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from pathlib import Path
from urllib.parse import urlsplit

from vendortrack.config import ConfigError

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


class MailConfigError(ConfigError):
    """A mail setting that cannot work; the message names the variable and what to write."""


class MailError(Exception):
    """The server did not take a message. `permanent`: it refused the address or the message
    for good (a 5xx answer), so trying again will not help. `broken`: the connection (or the
    outbox folder) is unusable, so the other messages of this run would fail the same way."""

    def __init__(self, message: str, permanent: bool = False, broken: bool = False):
        super().__init__(message)
        self.permanent = permanent
        self.broken = broken


@dataclass(frozen=True)
class MailSettings:
    server: str | None
    port: int
    use_tls: bool
    use_ssl: bool
    username: str | None
    password: str | None
    sender: str
    outbox_dir: Path
    timeout: float = 30.0

    @property
    def transport(self) -> str:
        return "smtp" if self.server else "file"

    @property
    def domain(self) -> str:
        return parseaddr(self.sender)[1].rpartition("@")[2] or "localhost"


def mail_settings(config: Mapping, instance_path: str) -> MailSettings:
    """Read and check the MAIL_* settings; raise MailConfigError naming the one that is wrong."""
    server = (config.get("MAIL_SERVER") or "").strip() or None
    if server and not re.fullmatch(r"[A-Za-z0-9.\-\[\]:]+", server):
        raise MailConfigError(
            f"VENDORTRACK_MAIL_SERVER={server!r} is not a host name. Give the server's name or "
            "address only, such as smtp.example.org, without a scheme, port or spaces."
        )
    use_tls = _flag(config, "MAIL_USE_TLS")
    use_ssl = _flag(config, "MAIL_USE_SSL")
    if use_tls and use_ssl:
        raise MailConfigError(
            "VENDORTRACK_MAIL_USE_TLS and VENDORTRACK_MAIL_USE_SSL are both on. Choose one: "
            "USE_TLS upgrades a plain connection with STARTTLS (usually port 587), USE_SSL "
            "connects over TLS from the start (usually port 465)."
        )
    username = config.get("MAIL_USERNAME") or None
    password = config.get("MAIL_PASSWORD") or None
    if bool(username) != bool(password):
        raise MailConfigError(
            "Set both VENDORTRACK_MAIL_USERNAME and VENDORTRACK_MAIL_PASSWORD, or neither."
        )
    return MailSettings(
        server=server,
        port=_port(config.get("MAIL_PORT"), use_ssl),
        use_tls=use_tls,
        use_ssl=use_ssl,
        username=username,
        password=password,
        sender=_sender(config.get("MAIL_DEFAULT_SENDER"), config.get("BASE_URL")),
        outbox_dir=Path(config.get("MAIL_OUTBOX_DIR") or Path(instance_path) / "outbox"),
    )


def _flag(config: Mapping, key: str) -> bool:
    value = config.get(key)
    if isinstance(value, bool) or value is None:
        return bool(value)
    word = str(value).strip().lower()
    if word in TRUE_WORDS | FALSE_WORDS:
        return word in TRUE_WORDS
    raise MailConfigError(f"VENDORTRACK_{key}={value!r} is not a yes or no: write true or false.")


def _port(value, use_ssl: bool) -> int:
    if value in (None, ""):
        return 465 if use_ssl else 25
    try:
        port = int(str(value).strip())
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        raise MailConfigError(
            f"VENDORTRACK_MAIL_PORT={value!r} is not a port number: write a whole number from "
            "1 to 65535, such as 25, 465 or 587."
        )
    return port


def _sender(value: str | None, base_url: str | None) -> str:
    if not value:
        host = urlsplit(base_url or "").hostname or ""
        domain = host if re.search(r"[a-z]", host) and "." in host else "localhost"
        return f"VendorTrack <vendortrack@{domain}>"
    address = parseaddr(value)[1]
    local, _, domain = address.rpartition("@")
    if not local or not domain or " " in address:
        raise MailConfigError(
            f"VENDORTRACK_MAIL_DEFAULT_SENDER={value!r} is not an email address. Write "
            "vendortrack@example.org, or with a name: VendorTrack <vendortrack@example.org>."
        )
    return value


def build_message(
    settings: MailSettings,
    to: str,
    subject: str,
    text: str,
    html: str,
    message_id: str,
    date: datetime,
) -> EmailMessage:
    """A plain-text message with an HTML alternative, marked as sent by a machine."""
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(date)
    message["Message-ID"] = message_id
    # RFC 3834: out-of-office replies and the like should not answer a reminder.
    message["Auto-Submitted"] = "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


@contextmanager
def open_transport(settings: MailSettings) -> Iterator["SMTPTransport | FileTransport"]:
    """A transport for one batch of messages; an SMTP connection is opened at the first send
    and closed at the end, so a run with nothing to send never connects."""
    transport = SMTPTransport(settings) if settings.server else FileTransport(settings)
    try:
        yield transport
    finally:
        transport.close()


class SMTPTransport:
    name = "smtp"

    def __init__(self, settings: MailSettings):
        self.settings = settings
        self.connection: smtplib.SMTP | None = None

    def send(self, message: EmailMessage) -> None:
        try:
            if self.connection is None:
                self.connection = self._connect()
            self.connection.send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            code, answer = next(iter(error.recipients.values()))
            raise MailError(_answer(code, answer), permanent=code >= 500) from error
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as error:
            answer = _answer(error.smtp_code, error.smtp_error)
            raise MailError(answer, permanent=error.smtp_code >= 500) from error
        except (smtplib.SMTPException, OSError) as error:
            self._drop()
            reason = str(error) or type(error).__name__
            raise MailError(f"{self._where()}: {reason}", broken=True) from error

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        if s.use_ssl:
            context = ssl.create_default_context()
            connection = smtplib.SMTP_SSL(s.server, s.port, timeout=s.timeout, context=context)
        else:
            connection = smtplib.SMTP(s.server, s.port, timeout=s.timeout)
        if s.use_tls:
            connection.starttls(context=ssl.create_default_context())
        if s.username:
            connection.login(s.username, s.password)
        return connection

    def _where(self) -> str:
        return f"mail server {self.settings.server}:{self.settings.port}"

    def _drop(self) -> None:
        if self.connection is not None:
            try:
                self.connection.close()
            finally:
                self.connection = None

    def close(self) -> None:
        if self.connection is not None:
            # The messages are already accepted; a rude goodbye changes nothing.
            with suppress(smtplib.SMTPException, OSError):
                self.connection.quit()
            self._drop()


def _answer(code: int, answer: bytes | str) -> str:
    text = answer.decode(errors="replace") if isinstance(answer, bytes) else str(answer)
    return f"{code} {text}"


class FileTransport:
    """Writes each message as an .eml file, for installations without a mail server: a new user
    sees reminders at once, and can open them in any mail program."""

    name = "file"

    def __init__(self, settings: MailSettings):
        self.folder = settings.outbox_dir

    def send(self, message: EmailMessage) -> None:
        name = re.sub(r"[^A-Za-z0-9.\-]", "_", message["Message-ID"].strip("<>"))
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            partial = self.folder / f".{name}.part"
            partial.write_bytes(bytes(message))
            # Renamed into place only when complete: a mail program never opens half a file.
            partial.replace(self.folder / f"{time.strftime('%Y%m%d-%H%M%S')}-{name}.eml")
        except OSError as error:
            reason = f"cannot write to the outbox folder {self.folder}: {error}"
            raise MailError(reason, broken=True) from error

    def close(self) -> None:
        pass

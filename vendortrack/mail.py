"""Sending mail: over SMTP when a server is configured, else into .eml files in the outbox folder.

Nothing here knows about reminders; the sweep decides what to send and records what happened.
"""

import hashlib
import ipaddress
import re
import smtplib
import ssl
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

from vendortrack.config import ConfigError

HEADERS_UNFOLDED = policy.SMTP.clone(max_line_length=998)
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
    if server and not _host(server):
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


def _host(value: str) -> bool:
    """A host name, or an IP address (a colon only in an IPv6 one, never a port)."""
    try:
        ipaddress.ip_address(value)
        return True
    except ValueError:
        return re.fullmatch(r"[A-Za-z0-9]([A-Za-z0-9.\-]*[A-Za-z0-9])?", value) is not None


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
    # SMTP's line ends, so that an .eml file holds what the server would have received.
    message = EmailMessage(policy=policy.SMTP)
    message["From"] = _one_line(settings.sender)
    message["To"] = _one_line(to)
    message["Subject"] = _one_line(subject)
    message["Date"] = date
    message["Message-ID"] = message_id
    # RFC 3834: out-of-office replies and the like should not answer a reminder.
    message["Auto-Submitted"] = "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"
    # Quoted-printable: 7-bit, so any server takes it without 8BITMIME, and still readable.
    message.set_content(text, cte="quoted-printable")
    message.add_alternative(html, subtype="html", cte="quoted-printable")
    # Derived from the Message-ID rather than random: the same digest is the same bytes.
    message.set_boundary("=_" + hashlib.sha256(message_id.encode()).hexdigest()[:32])
    # The bodies are encoded (lines of 76); headers are written when the message is: Python's
    # folding of a long non-ASCII subject across lines drops the space between two encoded
    # words ("était à" arrives as "étaità"). Unfolded up to the line limit of RFC 5322, a
    # subject keeps its spaces.
    message.policy = HEADERS_UNFOLDED
    return message


def _one_line(value: str) -> str:
    # The email package refuses a line break in a header (it would start a header of its own);
    # a name or subject that holds one still deserves its mail, on one line.
    return " ".join(value.split())


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
    """Sends a batch of messages over one connection, reused from one message to the next."""

    name = "smtp"

    def __init__(self, settings: MailSettings):
        self.settings = settings
        self.connection: smtplib.SMTP | None = None

    def send(self, message: EmailMessage) -> None:
        """Send one message, or raise MailError saying whether it is worth trying again and
        whether the connection can still take the next one."""
        connection = self._connection()
        try:
            connection.send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            ((code, answer),) = error.recipients.values()  # one recipient per message
            raise self._refused(code, answer) from error
        except smtplib.SMTPSenderRefused as error:
            # A refused sender is our set-up, not this message: everything waits for a fix.
            self._drop()
            raise MailError(_answer(error.smtp_code, error.smtp_error), broken=True) from error
        except smtplib.SMTPDataError as error:
            raise self._refused(error.smtp_code, error.smtp_error) from error
        except smtplib.SMTPNotSupportedError as error:
            # An address that needs SMTPUTF8, which this server lacks: no use trying again.
            raise MailError(str(error), permanent=True) from error
        except (smtplib.SMTPException, OSError) as error:
            raise self._broken(error) from error

    def _connection(self) -> smtplib.SMTP:
        if self.connection is None:
            try:
                self.connection = self._connect()
            except (smtplib.SMTPException, OSError) as error:
                raise self._broken(error) from error
        return self.connection

    def _refused(self, code: int, answer: bytes) -> MailError:
        """The server's no to one message: for good (5xx) or for now (4xx)."""
        # 421: the server is closing. 5.7.x: a policy or login refusal, ours to fix.
        if code == 421 or answer.startswith(b"5.7"):
            self._drop()
            return MailError(_answer(code, answer), broken=True)
        with suppress(smtplib.SMTPException, OSError):
            self.connection.rset()  # forget this message; the connection serves the next
        return MailError(_answer(code, answer), permanent=code >= 500)

    def _broken(self, error: Exception) -> MailError:
        self._drop()
        reason = str(error) or type(error).__name__
        where = f"mail server {self.settings.server}:{self.settings.port}"
        return MailError(f"{where}: {reason}", broken=True)

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
            partial.write_bytes(message.as_bytes())
            # Renamed into place only when complete: a mail program never opens half a file.
            partial.replace(self.folder / f"{time.strftime('%Y%m%d-%H%M%S')}-{name}.eml")
        except OSError as error:
            reason = f"cannot write to the outbox folder {self.folder}: {error}"
            raise MailError(reason, broken=True) from error

    def close(self) -> None:
        pass

"""Sending mail: over SMTP when a server is configured, else into .eml files in the outbox folder.

Nothing here knows about reminders; the sweep decides what to send and records what happened.
"""

import base64
import hashlib
import ipaddress
import re
import smtplib
import ssl
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from email.header import Header
from email.utils import format_datetime, formataddr, parseaddr
from functools import lru_cache
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


@dataclass(frozen=True)
class Sealed:
    """A message as the bytes that go on the wire, with its envelope."""

    sender: str
    recipient: str
    message_id: str
    data: bytes


CRLF = "\r\n"
# SMTP ends the content at a line holding a single dot: a line starting with one gets another.
DOT_AT_LINE_START = re.compile(rb"(?m)^\.")


def build_message(
    settings: MailSettings,
    to: str,
    subject: str,
    text: str,
    html: str,
    message_id: str,
    date: datetime,
) -> Sealed:
    """A plain-text message with an HTML alternative, marked as sent by a machine.

    Written straight to bytes: its shape never changes, and the email package's generator
    costs as much per message as sending it (tests read every message back with the parser).
    """
    # Derived from the Message-ID: the same digest sent again is the same bytes.
    boundary = "=_" + hashlib.sha256(message_id.encode()).hexdigest()[:32]
    head = [
        ("From", _encoded_address(settings.sender)),
        ("To", _encoded_address(to)),
        ("Subject", _encoded_subject(subject)),
        ("Date", format_datetime(date)),
        ("Message-ID", message_id),
        ("MIME-Version", "1.0"),
        ("Content-Type", f'multipart/alternative; boundary="{boundary}"'),
        # RFC 3834: out-of-office replies and the like should not answer a reminder.
        ("Auto-Submitted", "auto-generated"),
        ("X-Auto-Response-Suppress", "All"),
    ]
    lines = [f"{name}: {value}" for name, value in head]
    for subtype, body in (("plain", text), ("html", html)):
        lines += ["", f"--{boundary}", f'Content-Type: text/{subtype}; charset="utf-8"']
        lines += ["Content-Transfer-Encoding: base64", "", _base64(body)]
    lines += [f"--{boundary}--", ""]
    return Sealed(
        sender=_envelope_address(settings.sender),
        recipient=_envelope_address(to),
        message_id=message_id,
        data=CRLF.join(lines).encode("ascii"),
    )


def _encoded_subject(subject: str) -> str:
    subject = _one_line(subject)
    if subject.isascii() and len(subject) <= 900:  # within the 998-character line limit
        return subject
    return Header(subject, "utf-8").encode(linesep=CRLF)


@lru_cache(maxsize=1024)
def _envelope_address(value: str) -> str:
    return parseaddr(value)[1]


def _one_line(value: str) -> str:
    # A line break in a header would start a header of its own.
    return " ".join(value.split())


def _base64(body: str) -> str:
    encoded = base64.encodebytes(body.encode("utf-8")).decode("ascii")
    return encoded.rstrip("\n").replace("\n", CRLF)


@lru_cache(maxsize=1024)
def _encoded_address(value: str) -> str:
    name, address = parseaddr(_one_line(value))
    return formataddr((name, address), charset="utf-8") if name else address


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

    def send(self, message: Sealed, ready: Callable[[], None] = lambda: None) -> None:
        """Send one message. `ready()` is called once the server has taken the envelope and
        waits for the content; it may block until the caller lets the message go, or raise to
        hold it back (the connection is then dropped, and the server forgets the message)."""
        try:
            connection = self._connection()
            # A refused sender is our set-up, not this message: everything waits for a fix.
            self._expect(connection.mail(message.sender), 250, refused_for_all=True)
            self._expect(connection.rcpt(message.recipient), 250, 251)
            self._expect(connection.docmd("data"), 354)
            try:
                ready()
            except BaseException:
                self._drop()
                raise
            connection.send(DOT_AT_LINE_START.sub(b"..", message.data) + b".\r\n")
            self._expect(connection.getreply(), 250)
        except (smtplib.SMTPException, OSError) as error:
            self._drop()
            reason = str(error) or type(error).__name__
            raise MailError(f"{self._where()}: {reason}", broken=True) from error

    def _connection(self) -> smtplib.SMTP:
        if self.connection is None:
            self.connection = self._connect()
        self.connection.ehlo_or_helo_if_needed()
        return self.connection

    def _expect(self, reply, *accepted: int, refused_for_all: bool = False) -> None:
        code, answer = reply
        if code in accepted:
            return
        # 421: the server is closing. 5.7.x: a policy or login refusal, also ours to fix.
        if code == 421 or refused_for_all or answer.startswith(b"5.7"):
            self._drop()
            raise MailError(_answer(code, answer), broken=True)
        with suppress(smtplib.SMTPException, OSError):
            self.connection.rset()  # forget this message; the connection serves the next
        raise MailError(_answer(code, answer), permanent=code >= 500)

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

    def send(self, message: Sealed, ready: Callable[[], None] = lambda: None) -> None:
        ready()
        name = re.sub(r"[^A-Za-z0-9.\-]", "_", message.message_id.strip("<>"))
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            partial = self.folder / f".{name}.part"
            partial.write_bytes(message.data)
            # Renamed into place only when complete: a mail program never opens half a file.
            partial.replace(self.folder / f"{time.strftime('%Y%m%d-%H%M%S')}-{name}.eml")
        except OSError as error:
            reason = f"cannot write to the outbox folder {self.folder}: {error}"
            raise MailError(reason, broken=True) from error

    def close(self) -> None:
        pass

"""The guard against unexpected mail is itself tested: a test that cannot fail is a defect."""

import pytest

pytest_plugins = ["pytester"]

SENDS_MAIL = """
import smtplib
from email.message import EmailMessage

# The suite's own SMTP fixtures, the guard included.
pytest_plugins = ["tests.fixtures.smtp"]


def send(port):
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@example.org", "b@example.org", "Hi"
    message.set_content("hello")
    with smtplib.SMTP("127.0.0.1", port) as connection:
        connection.send_message(message)


def test_sends_without_asking(smtp_server):
    send(smtp_server[1])


def test_sends_and_says_so(smtp_server, smtp):
    send(smtp_server[1])
    assert [m["Subject"] for m in smtp.messages] == ["Hi"]
"""


@pytest.mark.slow  # a whole pytest session in a process of its own
def test_a_test_that_sends_mail_it_did_not_expect_fails(pytester):
    pytester.makepyfile(test_guarded=SENDS_MAIL)
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "--rootdir", str(pytester.path)
    )
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.re_match_lines([r".*this test sent mail it did not expect: \['Hi'\]"])

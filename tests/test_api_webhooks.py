"""Webhooks: registration with a key, refusal of private addresses (at registration and at
delivery), signed deliveries, retries with backoff, and the events the write path sends."""

import json
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django_tasks_db.models import DBTaskResult

from claims.api import webhooks
from claims.models import ApiKey, DeliveryState, Webhook, WebhookDelivery, WebhookEvent
from tests.factories import (
    create_editor,
    create_response,
    create_reviewer,
)

API = "/api/v1"
PUBLIC_URL = "https://93.184.215.14/hooks/factcheck"  # a literal public address: no DNS


@pytest.fixture
def key():
    return ApiKey.issue(partner="Partner")


class Receiver:
    """A local endpoint that records each POST and answers with `status`."""

    def __init__(self, status: int = 204):
        self.status = status
        self.received: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append({"headers": dict(self.headers), "body": body})
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def receiver(settings):
    settings.IMPORTER_ALLOW_LOOPBACK = True  # the test server is on this machine
    server = Receiver()
    settings.IMPORTER_ALLOWED_PORTS = (80, 443, server.port)
    yield server
    server.close()


def register(client, secret: str, url: str, events=("denial.new",)):
    return client.post(
        f"{API}/webhooks",
        data=json.dumps({"url": url, "events": list(events)}),
        content_type="application/json",
        headers={"X-API-Key": secret},
    )


def test_a_partner_registers_a_hook_and_sees_its_secret_once(client, key):
    _, secret = key
    answer = register(client, secret, PUBLIC_URL, ["denial.new", "verdict.published"])
    assert answer.status_code == HTTPStatus.CREATED
    created = answer.json()
    assert len(created["secret"]) == 64
    assert created["events"] == ["denial.new", "verdict.published"]
    listed = client.get(f"{API}/webhooks", headers={"X-API-Key": secret}).json()
    assert [h["id"] for h in listed] == [created["id"]]
    assert "secret" not in listed[0]


def test_hooks_need_a_key(client):
    answer = register(client, "", PUBLIC_URL)
    assert answer.status_code == HTTPStatus.UNAUTHORIZED
    assert answer["Content-Type"] == "application/problem+json"
    assert client.get(f"{API}/webhooks").status_code == HTTPStatus.UNAUTHORIZED


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.5/hook",
        "http://127.0.0.1/hook",
        "http://localhost/hook",
        "http://[::1]/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://2130706433/hook",  # 127.0.0.1 spelled as a number
        "http://192.168.1.1:8080/hook",
        "ftp://93.184.215.14/hook",
        "https://user:pw@93.184.215.14/hook",
    ],
)
def test_a_private_address_is_refused_at_registration(client, key, url):
    answer = register(client, key[1], url)
    assert answer.status_code == HTTPStatus.BAD_REQUEST
    assert answer.json()["detail"].startswith("This URL is refused")
    assert not Webhook.objects.exists()


def test_an_unknown_event_is_a_422(client, key):
    answer = register(client, key[1], PUBLIC_URL, ["everything"])
    assert answer.status_code == HTTPStatus.UNPROCESSABLE_ENTITY


def test_a_partner_removes_only_its_own_hooks(client, key):
    hook_id = register(client, key[1], PUBLIC_URL).json()["id"]
    _, other = ApiKey.issue(partner="Someone else")
    headers = {"X-API-Key": other}
    assert client.delete(f"{API}/webhooks/{hook_id}", headers=headers).status_code == 404
    headers = {"X-API-Key": key[1]}
    assert client.delete(f"{API}/webhooks/{hook_id}", headers=headers).status_code == 204
    assert not Webhook.objects.get(pk=hook_id).active


def test_a_delivery_is_signed_and_the_signature_verifies(receiver, key):
    hook = Webhook.objects.create(
        api_key=key[0], url=receiver.url(), events=["denial.new"], secret=Webhook.new_secret()
    )
    denial = create_response(quote="It's fake")
    assert webhooks.notify("denial.new", denial) == 1
    delivery = WebhookDelivery.objects.get()
    assert webhooks.attempt(delivery) == DeliveryState.DELIVERED
    [received] = receiver.received
    signature = received["headers"][webhooks.SIGNATURE_HEADER]
    assert webhooks.verify(hook.secret, received["body"], signature)
    assert not webhooks.verify("another secret", received["body"], signature)
    assert not webhooks.verify(hook.secret, received["body"] + b" ", signature)
    body = json.loads(received["body"])
    assert body["event"] == "denial.new"
    assert body["data"]["id"] == denial.pk and body["data"]["quote"] == "It's fake"
    assert received["headers"]["X-Factcheck-Event"] == "denial.new"
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED and delivery.last_status_code == 204


def test_a_private_address_is_refused_at_delivery(settings, key):
    # Registered when allowed (or its DNS answer changed since): delivery checks again.
    hook = Webhook.objects.create(
        api_key=key[0], url="http://10.1.2.3/hook", events=["denial.new"], secret="s"
    )
    webhooks.notify("denial.new", create_response())
    delivery = WebhookDelivery.objects.get(webhook=hook)
    assert webhooks.attempt(delivery) == DeliveryState.FAILED
    delivery.refresh_from_db()
    assert delivery.last_error.startswith("Refused")
    assert not DBTaskResult.objects.filter(task_path__endswith="deliver").exists()


def test_a_failed_delivery_is_retried_with_backoff(receiver, key):
    receiver.status = 500
    Webhook.objects.create(api_key=key[0], url=receiver.url(), events=["denial.new"], secret="s")
    webhooks.notify("denial.new", create_response())
    delivery = WebhookDelivery.objects.get()
    assert webhooks.attempt(delivery) == "retrying"
    retry = DBTaskResult.objects.get(task_path__endswith="deliver")
    assert retry.run_after is not None
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == ("pending", 1, 500)
    delivery.attempts = webhooks.MAX_ATTEMPTS - 1
    assert webhooks.attempt(delivery) == DeliveryState.FAILED  # the last try


def test_only_subscribed_active_hooks_of_live_keys_get_events(key):
    Webhook.objects.create(api_key=key[0], url=PUBLIC_URL, events=["verdict.published"], secret="s")
    assert webhooks.notify("denial.new", create_response()) == 0
    revoked, _ = ApiKey.issue(partner="Gone")
    Webhook.objects.create(api_key=revoked, url=PUBLIC_URL, events=["denial.new"], secret="s")
    revoked.revoke()
    assert webhooks.notify("denial.new", create_response()) == 0


def test_the_write_path_sends_its_events_when_they_become_public(
    key, django_capture_on_commit_callbacks
):
    """Events go out when a second editor makes something public: a new denial on approval
    (not when it is logged, nor when a public one is edited), a verdict when it is published,
    a correction when it is approved. Each delivery is queued once the transaction commits."""
    from claims.models import Verdict, writing
    from tests.test_api_reads import log

    Webhook.objects.create(
        api_key=key[0], url=PUBLIC_URL, events=[e.value for e in WebhookEvent], secret="s"
    )
    author, reviewer = create_editor(username="author"), create_reviewer(username="reviewer")

    def events() -> list[str]:
        return list(WebhookDelivery.objects.order_by("pk").values_list("event", flat=True))

    chain = log(author, "Zebrafish", quote="Pangolin nonsense")
    assert events() == []  # logged, not public
    with django_capture_on_commit_callbacks(execute=False) as queued:
        writing.approve(chain["claim"], by=reviewer)
    assert events() == ["denial.new"]
    assert len(queued) >= 1
    denial = chain["denial"]
    writing.save_edit(
        denial, by=author, version=writing.desk_version(denial), values={"quote": "Edited"}
    )
    writing.approve(chain["claim"], by=reviewer)
    assert events() == ["denial.new"]  # an edit of a public denial is no new denial

    verdict = writing.create(
        Verdict,
        by=author,
        values={"claim": chain["claim"], "author": author, "rating": "false", "summary": "S"},
    )
    verdict.submit(by=author)
    verdict.publish(by=reviewer)
    assert events() == ["denial.new", "verdict.published"]
    verdict.correct(by=author, text="A date was wrong.")
    assert events() == ["denial.new", "verdict.published"]  # waits for review
    writing.approve(chain["claim"], by=reviewer)
    assert events() == ["denial.new", "verdict.published", "correction.published"]


def test_registration_works_from_a_server_without_a_csrf_token(key):
    # The key is a header, which browsers never send by themselves: no CSRF token is needed.
    from django.test import Client

    answer = register(Client(enforce_csrf_checks=True), key[1], PUBLIC_URL)
    assert answer.status_code == HTTPStatus.CREATED

"""
Webhooks: partners' URLs told of new denials, published verdicts and corrections.

`notify(event, obj)` is what the write path calls once something becomes public (a second
editor's approval in models/writing.py, a verdict's publication in models/verdicts.py); it stores
one WebhookDelivery per subscribed hook and queues it after the transaction commits. The
worker POSTs the body, signed:

    X-Factcheck-Signature: sha256=<hex HMAC-SHA256 of the raw body, keyed with the hook's secret>
    X-Factcheck-Event: denial.new | verdict.published | correction.published
    X-Factcheck-Delivery: <delivery id>

A failed try is retried with growing waits (1, 2, 4 … minutes, MAX_ATTEMPTS in all). Every
try goes through the importer's address rules (claims/importer/fetch.py): a hook whose URL
is, or has come to resolve to, a private address is refused, not retried.
"""

import hashlib
import hmac
import json
import logging
from datetime import timedelta
from functools import partial

import requests
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from requests_hardened.ip_filter import InvalidIPAddress

from claims.importer.fetch import Deadline, FetchError, FetchRefused, check_url, session
from claims.models import (
    Correction,
    DeliveryState,
    Response,
    Verdict,
    Webhook,
    WebhookDelivery,
    WebhookEvent,
)

from . import represent

SIGNATURE_HEADER = "X-Factcheck-Signature"
MAX_ATTEMPTS = 6
TIMEOUT = 10  # seconds for the whole try, however slowly the partner answers

logger = logging.getLogger(__name__)


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, signature: str) -> bool:
    """What a partner does on receipt (documented in docs/api.md)."""
    return hmac.compare_digest(sign(secret, body), signature)


def payload(event: str, obj) -> dict:
    """The event's data, in the API's own shapes."""
    if isinstance(obj, Response):
        data = represent.denials([obj])[0]
    elif isinstance(obj, Verdict):
        data = {**represent.verdicts([obj])[0], "claim": represent.claim_ref(obj.claim)}
    elif isinstance(obj, Correction):
        data = {
            "id": obj.pk,
            "text": obj.text,
            "published_at": obj.published_at,
            "verdict_id": obj.verdict_id,
            "claim": represent.claim_ref(obj.verdict.claim),
        }
    else:
        raise TypeError(f"No webhook event for {type(obj).__name__}")
    return {"event": event, "sent_at": timezone.now(), "data": data}


def notify(event: WebhookEvent | str, obj) -> int:
    """Queue `event` about `obj` for every active hook that asked for it; the number queued."""
    event = WebhookEvent(event)
    hooks = [
        hook
        for hook in Webhook.objects.filter(active=True, api_key__revoked_at__isnull=True)
        if event.value in hook.events
    ]
    if not hooks:
        return 0
    body = json.dumps(payload(event.value, obj), cls=DjangoJSONEncoder, ensure_ascii=False)
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(webhook=hook, event=event.value, body=body) for hook in hooks
    )
    for delivery in deliveries:
        transaction.on_commit(partial(deliver.enqueue, delivery.pk))
    return len(deliveries)


def notify_denial(response: Response) -> None:
    """A denial became public (call after it is approved)."""
    if response.stance == "denies":
        notify(WebhookEvent.NEW_DENIAL, response)


@task
def deliver(delivery_id: int) -> str:
    """One try at one delivery; schedules the next try if this one failed."""
    delivery = (
        WebhookDelivery.objects.select_related("webhook__api_key").filter(pk=delivery_id).first()
    )
    if delivery is None or delivery.state != DeliveryState.PENDING:
        return "nothing to do"
    return attempt(delivery)


def attempt(delivery: WebhookDelivery) -> str:
    hook = delivery.webhook
    delivery.attempts += 1
    delivery.last_attempt_at = timezone.now()
    if not hook.active or hook.api_key.revoked_at is not None:
        return _finish(delivery, DeliveryState.FAILED, error="The webhook was removed.")
    body = delivery.body.encode()
    headers = {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: sign(hook.secret, body),
        "X-Factcheck-Event": delivery.event,
        "X-Factcheck-Delivery": str(delivery.pk),
    }
    try:
        check_url(hook.url)
        with Deadline(TIMEOUT) as deadline, session(deadline) as http:
            answer = http.post(
                hook.url,
                data=body,
                headers=headers,
                timeout=(5, TIMEOUT),
                allow_redirects=False,
                stream=True,  # the status is all we read, never a body of any size
            )
            answer.close()
            if deadline.expired:
                raise deadline.error()
    except (FetchRefused, InvalidIPAddress) as error:
        logger.warning("webhook %s refused: %s", hook.pk, error)
        return _finish(delivery, DeliveryState.FAILED, error=f"Refused: {error}")
    except (FetchError, requests.RequestException, OSError) as error:
        return _retry(delivery, error=str(error) or type(error).__name__)
    delivery.last_status_code = answer.status_code
    if 200 <= answer.status_code < 300:
        return _finish(delivery, DeliveryState.DELIVERED)
    return _retry(delivery, error=f"Answered {answer.status_code}.")


def _finish(delivery: WebhookDelivery, state: str, *, error: str = "") -> str:
    delivery.state = state
    delivery.last_error = error
    if state == DeliveryState.DELIVERED:
        delivery.delivered_at = timezone.now()
    delivery.save()
    logger.info(
        "webhook delivery %s (%s) %s after %s tries",
        delivery.pk,
        delivery.event,
        state,
        delivery.attempts,
    )
    return state


def _retry(delivery: WebhookDelivery, *, error: str) -> str:
    if delivery.attempts >= MAX_ATTEMPTS:
        return _finish(delivery, DeliveryState.FAILED, error=error)
    delivery.last_error = error
    delivery.save()
    wait = timedelta(minutes=2 ** (delivery.attempts - 1))
    logger.info("webhook delivery %s failed (%s); next try in %s", delivery.pk, error, wait)
    deliver.using(run_after=timezone.now() + wait).enqueue(delivery.pk)
    return "retrying"

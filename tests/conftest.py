"""Shared fixtures: tests speak English whatever the platform's default language; a broker that is down."""

import pytest
from django.utils import translation

from config.celery import app as celery_app


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def unreachable_broker():
    """Point the Celery app at a port where no broker listens; put everything back afterwards."""
    saved = celery_app.conf.broker_url, celery_app.conf.broker_transport
    # The embedded default names its own file-system transport, which would win over the URL's scheme.
    celery_app.conf.broker_url, celery_app.conf.broker_transport = "redis://127.0.0.1:1/0", None
    celery_app._pool, celery_app.amqp._producer_pool = None, None
    yield
    celery_app.conf.broker_url, celery_app.conf.broker_transport = saved
    celery_app._pool, celery_app.amqp._producer_pool = None, None

# One image for every process of the platform: web (gunicorn), Celery worker, Celery beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    VAR_DIR=/app/var

WORKDIR /app
RUN useradd --create-home --uid 1000 app

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# Translations are compiled and static files collected into the image; the key here only lets settings load for the build.
RUN SECRET_KEY=build-time-only DEBUG=0 python manage.py compiletranslations \
    && SECRET_KEY=build-time-only DEBUG=0 python manage.py collectstatic --noinput \
    && mkdir -p /app/var/media \
    && chown -R app:app /app/var

USER app
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "2", "--access-logfile", "-"]

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml ./
RUN pip install --no-cache-dir .
COPY . .
RUN SECRET_KEY=collectstatic DJANGO_SETTINGS_MODULE=casm.settings.production python manage.py collectstatic --noinput
EXPOSE 8000
CMD ["gunicorn", "casm.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]

# Two commands: `make demo` (fresh machine → running demo) and `make test` (the whole suite).
SHELL := /bin/bash
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PGURL ?= postgres://postgres@127.0.0.1:5432/tic
REDIS ?= redis://127.0.0.1:6379
BROKER_DB ?= 0
CACHE_DB ?= 1

.PHONY: venv install services demo demo-data serve test lint messages bench

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

venv: $(BIN)/python

install: venv
	$(BIN)/pip install -q -e '.[dev]'
	$(BIN)/python manage.py compilemessages -v0 --ignore '.venv/*'

services:
	@bash scripts/services_up.sh

demo-data: install
	$(BIN)/python manage.py migrate -v0
	$(BIN)/python manage.py demo_cycle

demo: demo-data
	$(BIN)/python manage.py collectstatic --noinput -v0
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

test: install services
	DATABASE_URL=$(PGURL) CELERY_BROKER_URL=$(REDIS)/$(BROKER_DB) REDIS_URL=$(REDIS)/$(CACHE_DB) \
	  $(BIN)/python -m pytest -q $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check .

messages: venv
	$(BIN)/python manage.py makemessages -l zh_Hans -l en --ignore '.venv/*' --ignore 'var/*'
	$(BIN)/python manage.py compilemessages -v0 --ignore '.venv/*'

bench: install services
	DATABASE_URL=$(PGURL) $(BIN)/python scripts/bench_draw.py

# COBIOE platform. `make help` lists the targets.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
DEMO_ACTORS ?= 300
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install run migrate demo test lint format perf clean search-node search-index

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP) ## Create the virtual environment and install the dependencies

migrate: install ## Apply the database migrations
	$(BIN)/python manage.py migrate --noinput

demo: migrate ## Load taxonomies and demo content (idempotent)
	$(BIN)/python manage.py load_demo --site-root --actors $(DEMO_ACTORS) --seed 1 --with-admin
	$(BIN)/python manage.py load_demo_members
	$(BIN)/python manage.py load_demo_news --count 30 --seed 1
	$(BIN)/python manage.py load_demo_watch
	$(BIN)/python manage.py build_open_data
	@# The loads fill the search indexes themselves (Wagtail's database index; a cluster's
	@# indexes once built); a first run with a cluster builds them here.
	@if [ -n "$$COBIOE_SEARCH_URL" ]; then $(MAKE) --no-print-directory search-index; fi

run: demo ## Install, migrate, load demo data and serve http://127.0.0.1:8000 (SQLite)
	@echo "Serving on http://$(HOST)/  (admin: http://$(HOST)/admin/)"
	$(BIN)/python manage.py runserver $(HOST)

search-node: ## Build and start a local OpenSearch 2.19 node on 127.0.0.1:9201 (JDK 17, Maven)
	bash tests/search_node/start.sh 9201
	@echo "Then: COBIOE_SEARCH_URL=http://127.0.0.1:9201 make run   (stop: bash tests/search_node/stop.sh 9201)"

search-index: install ## Rebuild every search index on COBIOE_SEARCH_URL (zero downtime)
	$(BIN)/python manage.py search_rebuild
	$(BIN)/python manage.py update_index

test: install ## Run the test suite (SQLite, or PostgreSQL when DATABASE_URL is set)
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install ## Lint and check formatting (ruff, djhtml)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	find themes cobioe_cms -name '*.html' -not -path '*/vendor/*' | xargs $(BIN)/djhtml --check
	$(BIN)/vulture cobioe_cms .vulture_whitelist.py --min-confidence 60 --exclude '*/migrations/*'

format: install ## Format the code and templates
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	find themes cobioe_cms -name '*.html' -not -path '*/vendor/*' | xargs $(BIN)/djhtml

perf: install ## Run the benchmarks of tests/perf (10,000 actors; a few minutes)
	$(BIN)/python tests/perf/bench_cartography.py

clean: ## Remove the virtual environment, the SQLite database and caches
	rm -rf $(VENV) db.sqlite3 .test-media static_collected

#!/usr/bin/env bash
# The whole test suite, from a fresh machine: system packages, a virtualenv, lint, types, tests.
# This is the README's test command; CI (.ci/run) runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian's Chromium drives the browser tests (Playwright cannot download its own browser here); wrk is the
# load generator of the endpoint benchmark (benchmarks/endpoint.py, run small by the benchmark smoke test);
# Virtuoso is a store the tests push to and query (tests/test_stores.py, started on loopback with its own
# database folder); headless Java with the OWL API (profile check) and HermiT (owlready2) are the OWL 2 DL
# checkers of tests/test_owl_profile.py.
if ! command -v chromium >/dev/null 2>&1 || ! command -v wrk >/dev/null 2>&1 \
   || ! command -v virtuoso-t >/dev/null 2>&1 || ! command -v java >/dev/null 2>&1 \
   || [ ! -e /usr/share/java/owlapi-distribution.jar ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  # Virtuoso's package asks for a dba password through debconf: noninteractive leaves its own database
  # alone, and the tests make their own
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver fonts-noto-cjk wrk \
    virtuoso-opensource default-jre-headless libowlapi-java >/dev/null
fi

python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'

.venv/bin/ruff check src tests benchmarks scripts
.venv/bin/mypy
.venv/bin/pytest "$@"

#!/bin/sh
# Headless Chromium for tests/test_report_browser.py (Debian/Ubuntu; run as root).
# The test skips with a message when no chromium is on PATH (or CLEANER_CHROMIUM is unset).
set -eu
apt-get update
apt-get install -y chromium
chromium --version

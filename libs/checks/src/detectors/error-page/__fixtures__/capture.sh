#!/usr/bin/env bash
# The capture moved to the repository's scripts/capture-error-pages.sh, which captures every proxy,
# cache and load balancer installed (see README.md here). Kept so that `./capture.sh [output-dir]`
# still works.
set -euo pipefail
exec bash "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../../../../../../scripts/capture-error-pages.sh" "$@"

#!/usr/bin/env bash
# Installs the system packages a command needs, from Debian's packages, when they are missing:
#   demo: redis-server (the demo starts its own Redis unless REDIS_URL is set)
#   test: redis-server and redis-cli (the suites' Redis Cluster), and the real proxies and caches the end-to-end suites put in front of
#         local origins: nginx, Varnish, HAProxy; dnsmasq (a DNS server on a loopback address, for names with several
#         addresses); Prometheus, which a suite starts to scrape both apps; and Chromium, the
#         headless browser the dashboard's and status pages' suites drive (with playwright-core)
#   bench: redis-server, and what the agent is compared with: Prometheus's blackbox_exporter,
#          driven by wrk
# Does nothing when everything is there, and on a system without apt-get it says what to install.
set -euo pipefail
purpose=${1:-test}

missing=()
need() { # need <binary> <package>
  command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/usr/bin/$1" ] || missing+=("$2")
}
case "$purpose" in
  demo) need redis-server redis-server ;;
  test)
    need redis-server redis-server
    need redis-cli redis-tools
    need nginx nginx-light
    need varnishd varnish
    need haproxy haproxy
    need dnsmasq dnsmasq-base
    need prometheus prometheus
    need chromium chromium
    ;;
  bench)
    need redis-server redis-server
    need prometheus-blackbox-exporter prometheus-blackbox-exporter
    need wrk wrk
    ;;
  *) echo "usage: $0 demo|test|bench" >&2; exit 64 ;;
esac
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "missing: ${missing[*]}. Install them with your package manager (or set REDIS_URL for Redis)." >&2
  exit 1
fi
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "installing ${missing[*]} from Debian's packages" >&2
export DEBIAN_FRONTEND=noninteractive
# The packages' start scripts must not start system-wide daemons (ports 80, 6081, 6379, 9090, 9115).
policy=/usr/sbin/policy-rc.d
created_policy=false
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null && $sudo chmod +x "$policy" && created_policy=true
fi
trap 'if $created_policy; then $sudo rm -f "$policy"; fi' EXIT
$sudo apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1 ||
  { $sudo apt-get update >/dev/null && $sudo apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null; }

#!/usr/bin/env bash
# Captures the default error pages of the proxies installed on this machine (Debian 12 packages:
# nginx-light, haproxy, varnish, apache2, caddy) as raw HTTP responses, for the error-page
# detector's fixtures. See README.md in this folder for what each file is.
#
# Usage: capture.sh [output-dir]     (default: the folder this script is in)
#
# Safety: every server listens on 127.0.0.41 only, every backend is on 127.0.0.42 (a closed
# port, a server that closes without answering, and one that never answers), curl is told to ignore
# proxy settings, and every process started here is stopped by its PID on exit.
#
# Normalisation: curl's output is kept byte for byte except that CRLF line ends are turned into
# LF everywhere (status line, headers and body), so every fixture has the same line ends whatever
# the server sent (nginx and ALB send CRLF bodies, HAProxy and Varnish LF). The loader
# (load-http-fixture.ts) reads: status line, headers, one empty line, body.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="${1:-$HERE}"
FRONT=127.0.0.41
BACK=127.0.0.42
WORK="$(mktemp -d /tmp/crosscheck-error-pages.XXXXXX)"
chmod 755 "$WORK"
PIDS=()

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '%s\n' "$*" >&2; }

# A port that is free on the given address right now (the kernel picks it).
free_port() {
  node -e 'const s = require("net").createServer(); s.listen(0, process.argv[1], () => { console.log(s.address().port); s.close(); });' "$1"
}

wait_for_port() {
  local host=$1 port=$2 i
  for i in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  log "nothing listening on $host:$port"
  return 1
}

# capture <file> <url> [curl args...]: raw response, CRLF -> LF.
capture() {
  local file=$1 url=$2
  shift 2
  curl --silent --show-error --include --noproxy '*' --max-time 20 "$@" "$url" | sed -e 's/\r$//' >"$OUT/$file"
  log "captured $file ($(head -n1 "$OUT/$file"))"
}

AS_ROOT=0
if [ "$(id -u)" = 0 ]; then AS_ROOT=1; fi

DEAD=$(free_port "$BACK")
CLOSING=$(free_port "$BACK")
HANG=$(free_port "$BACK")

# --- backends: one that closes the connection without answering, one that never answers -----
node -e '
const net = require("net");
const [host, closing, hang] = process.argv.slice(1);
net.createServer((s) => { s.on("error", () => {}); s.once("data", () => s.destroy()); }).listen(Number(closing), host);
net.createServer((s) => { s.on("error", () => {}); }).listen(Number(hang), host);
' "$BACK" "$CLOSING" "$HANG" &
PIDS+=($!)
wait_for_port "$BACK" "$CLOSING"
wait_for_port "$BACK" "$HANG"

# --- content shared by the servers -------------------------------------------------------------
mkdir -p "$WORK/www/app" "$WORK/www/blog" "$WORK/www/itworks" "$WORK/errors" "$WORK/custom"
# Debian ships nginx's welcome page; the Apache Debian default page is /var/www/html/index.html.
cp /usr/share/nginx/html/index.html "$WORK/www/index.html"
cp /var/www/html/index.html "$WORK/www/apache-default.html"
# httpd's own htdocs/index.html (upstream "It works!" page).
printf '%s\n' '<html><body><h1>It works!</h1></body></html>' >"$WORK/www/itworks/index.html"
# nginx's html/50x.html as shipped in the nginx 1.22 source tree and the official images (Debian
# does not package it): the page served by `error_page 500 502 503 504 /50x.html`.
cat >"$WORK/errors/50x.html" <<'EOF'
<!DOCTYPE html>
<html>
<head>
<title>Error</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>An error occurred.</h1>
<p>Sorry, the page you are looking for is currently unavailable.<br/>
Please try again later.</p>
<p>If you are the system administrator of this resource then you should check
the error log for details.</p>
<p><em>Faithfully yours, nginx.</em></p>
</body>
</html>
EOF
cat >"$WORK/custom/maintenance.html" <<'EOF'
<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Acme Shop is down for maintenance</title></head>
<body>
<h1>We'll be back soon</h1>
<p>Acme Shop is getting an upgrade. We expect to be back by 14:00 UTC.</p>
<p>Status updates: <a href="https://status.acme.example">status.acme.example</a></p>
</body>
</html>
EOF
cat >"$WORK/www/app/index.html" <<'EOF'
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Acme Shop: your orders</title>
<link rel="stylesheet" href="/assets/app.3f9c2.css">
</head>
<body>
<header><nav><a href="/">Acme Shop</a> <a href="/orders">Orders</a> <a href="/account">Account</a></nav></header>
<main>
<h1>Your orders</h1>
<table>
<thead><tr><th>Order</th><th>Date</th><th>Status</th><th>Total</th></tr></thead>
<tbody>
<tr><td>#10482</td><td>2026-10-28</td><td>Shipped</td><td>€42.90</td></tr>
<tr><td>#10417</td><td>2026-10-12</td><td>Delivered</td><td>€18.00</td></tr>
</tbody>
</table>
<p>Questions? <a href="/help">Visit the help centre</a>.</p>
</main>
<footer><p>&copy; 2026 Acme Shop. Served with care.</p></footer>
<script src="/assets/app.3f9c2.js" defer></script>
</body>
</html>
EOF
cat >"$WORK/www/blog/fixing-nginx-502.html" <<'EOF'
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>How to fix "502 Bad Gateway" in nginx (a practical checklist) | Ops Notes</title>
<meta name="description" content="Why nginx answers 502 Bad Gateway, how to read its error log, and how to fix the upstream.">
</head>
<body>
<article>
<h1>How to fix "502 Bad Gateway" in nginx</h1>
<p class="byline">By an ops engineer, 12 minutes read</p>
<p>You deployed, you reloaded, and the browser shows nginx's bare page: a title that says
<strong>502 Bad Gateway</strong> and a footer with the nginx version. This is what it looks like:</p>
<figure class="screenshot">
<center><h1>502 Bad Gateway</h1></center>
<hr><center>nginx</center>
<figcaption>The stock nginx 502 page, as your users see it.</figcaption>
</figure>
<p>The raw HTML that nginx sends is always the same small template:</p>
<pre><code>&lt;html&gt;
&lt;head&gt;&lt;title&gt;502 Bad Gateway&lt;/title&gt;&lt;/head&gt;
&lt;body&gt;
&lt;center&gt;&lt;h1&gt;502 Bad Gateway&lt;/h1&gt;&lt;/center&gt;
&lt;hr&gt;&lt;center&gt;nginx/1.22.1&lt;/center&gt;
&lt;/body&gt;
&lt;/html&gt;</code></pre>
<h2>1. Read the error log first</h2>
<p>nginx tells you exactly why it gave up. Look for <code>connect() failed (111: Connection refused)
while connecting to upstream</code> or <code>upstream prematurely closed connection</code> in
<code>/var/log/nginx/error.log</code>. The first means nothing listens where
<code>proxy_pass</code> points; the second means the application crashed mid-request.</p>
<h2>2. Is the upstream running?</h2>
<p>Check the service with <code>systemctl status myapp</code> and that it listens on the address
nginx expects with <code>ss -ltnp</code>. A common mistake is an application listening on
<code>127.0.0.1:3000</code> while nginx proxies to <code>localhost:3000</code>, which may resolve to
<code>::1</code> first.</p>
<h2>3. PHP-FPM socket permissions</h2>
<p>With <code>fastcgi_pass unix:/run/php/php8.2-fpm.sock</code>, nginx's worker user must be allowed
to open the socket: set <code>listen.owner</code> and <code>listen.group</code> in the pool
configuration to the user nginx runs as.</p>
<h2>4. Timeouts are not 502s</h2>
<p>If the upstream is merely slow you will see <strong>504 Gateway Time-out</strong> instead.
Raise <code>proxy_read_timeout</code> only after you know why the application is slow.</p>
<h2>5. Don't hide it behind a 200</h2>
<p>Some configurations use <code>error_page 502 =200 /50x.html</code> so that the page "looks fine".
Your monitoring will then see a 200 and stay green while every user gets "An error occurred.
Faithfully yours, nginx." Monitor the content, not only the status.</p>
<h2>Summary</h2>
<ul>
<li>502 means nginx could not get a valid response from the upstream.</li>
<li>The error log names the reason; start there.</li>
<li>Fix the upstream, not nginx.</li>
</ul>
</article>
<aside><h3>Related posts</h3><ul><li><a href="/blog/504">Fixing 504 Gateway Time-out</a></li>
<li><a href="/blog/haproxy-503">HAProxy: No server is available to handle this request</a></li></ul></aside>
<footer><p>Ops Notes is a personal blog. Opinions are my own.</p></footer>
</body>
</html>
EOF
chmod -R a+rX "$WORK/www" "$WORK/errors" "$WORK/custom"

# --- nginx -------------------------------------------------------------------------------------
NGINX_PORT=$(free_port "$FRONT")
mkdir -p "$WORK/nginx/tmp"
{
  if [ "$AS_ROOT" = 1 ]; then echo 'user nobody nogroup;'; fi
  cat <<EOF
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 64; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
  client_body_temp_path $WORK/nginx/tmp/body;
  proxy_temp_path $WORK/nginx/tmp/proxy;
  fastcgi_temp_path $WORK/nginx/tmp/fastcgi;
  uwsgi_temp_path $WORK/nginx/tmp/uwsgi;
  scgi_temp_path $WORK/nginx/tmp/scgi;
  server {
    listen $FRONT:$NGINX_PORT;
    server_name localhost;
    root $WORK/www;
    location /dead/ { proxy_pass http://$BACK:$DEAD; }
    location /dead-tokens-off/ { server_tokens off; proxy_pass http://$BACK:$DEAD; }
    location /hang/ { proxy_pass http://$BACK:$HANG; proxy_read_timeout 1s; }
    location /lying/ { proxy_pass http://$BACK:$DEAD; error_page 502 =200 /50x.html; }
    location = /50x.html { root $WORK/errors; }
    location = /maintenance { return 503; }
    location = /custom-maintenance { error_page 503 /maintenance.html; return 503; }
    location = /maintenance.html { internal; root $WORK/custom; }
    location = /api/orders {
      default_type application/json;
      return 502 '{"error":"Bad Gateway","message":"payment provider unreachable, retry later","status":502,"requestId":"9f1c2e7a"}';
    }
    location = /nothing { return 204; }
  }
}
EOF
} >"$WORK/nginx/nginx.conf"
nginx -e "$WORK/nginx/error.log" -p "$WORK/nginx/" -c "$WORK/nginx/nginx.conf" -g 'daemon off;' &
PIDS+=($!)
wait_for_port "$FRONT" "$NGINX_PORT"
N="http://$FRONT:$NGINX_PORT"
capture nginx-502-bad-gateway.http "$N/dead/health"
capture nginx-502-server-tokens-off.http "$N/dead-tokens-off/health"
capture nginx-504-gateway-time-out.http "$N/hang/health"
capture nginx-503-service-unavailable.http "$N/maintenance"
capture nginx-404-not-found.http "$N/health"
capture nginx-50x-html-served-as-200.http "$N/lying/health"
capture nginx-welcome-page.http "$N/"
capture negative-nginx-app-page.http "$N/app/"
capture negative-blog-fixing-nginx-502.http "$N/blog/fixing-nginx-502.html"
capture negative-json-api-error.http "$N/api/orders"
capture negative-custom-maintenance-page.http "$N/custom-maintenance"
capture negative-empty-204.http "$N/nothing"

# --- HAProxy -----------------------------------------------------------------------------------
HAPROXY_PORT=$(free_port "$FRONT")
mkdir -p "$WORK/haproxy"
cat >"$WORK/haproxy/haproxy.cfg" <<EOF
global
  maxconn 64
defaults
  mode http
  timeout connect 1s
  timeout client 5s
  timeout server 1s
  retries 1
frontend fe
  bind $FRONT:$HAPROXY_PORT
  http-request deny if { path_beg /deny }
  use_backend be_dead if { path_beg /dead }
  use_backend be_closing if { path_beg /closing }
  use_backend be_hang if { path_beg /hang }
  default_backend be_dead
backend be_dead
  server app1 $BACK:$DEAD
backend be_closing
  server app1 $BACK:$CLOSING
backend be_hang
  server app1 $BACK:$HANG
EOF
haproxy -f "$WORK/haproxy/haproxy.cfg" -db >"$WORK/haproxy/haproxy.log" 2>&1 &
PIDS+=($!)
wait_for_port "$FRONT" "$HAPROXY_PORT"
H="http://$FRONT:$HAPROXY_PORT"
capture haproxy-503-service-unavailable.http "$H/dead/health"
capture haproxy-502-bad-gateway.http "$H/closing/health"
capture haproxy-504-gateway-time-out.http "$H/hang/health"
capture haproxy-403-forbidden.http "$H/deny/health"

# --- Varnish -----------------------------------------------------------------------------------
VARNISH_PORT=$(free_port "$FRONT")
mkdir -p "$WORK/varnish"
varnishd -F -j none -n "$WORK/varnish" -a "$FRONT:$VARNISH_PORT" -T none -b "$BACK:$DEAD" -s malloc,16m \
  -p connect_timeout=1 -p first_byte_timeout=1 >"$WORK/varnish/varnishd.log" 2>&1 &
PIDS+=($!)
wait_for_port "$FRONT" "$VARNISH_PORT"
V="http://$FRONT:$VARNISH_PORT"
capture varnish-503-backend-fetch-failed.http "$V/health"
# builtin.vcl answers synth(400) to an HTTP/1.1 request without Host.
capture varnish-400-bad-request.http "$V/health" --http1.1 -H 'Host:'

# --- Apache httpd ------------------------------------------------------------------------------
APACHE_PORT=$(free_port "$FRONT")
mkdir -p "$WORK/apache"
M=/usr/lib/apache2/modules
{
  cat <<EOF
ServerRoot "$WORK/apache"
DefaultRuntimeDir "$WORK/apache"
PidFile "$WORK/apache/httpd.pid"
Mutex file:$WORK/apache default
Listen $FRONT:$APACHE_PORT
LoadModule mpm_event_module $M/mod_mpm_event.so
LoadModule authz_core_module $M/mod_authz_core.so
LoadModule mime_module $M/mod_mime.so
LoadModule dir_module $M/mod_dir.so
LoadModule alias_module $M/mod_alias.so
LoadModule proxy_module $M/mod_proxy.so
LoadModule proxy_http_module $M/mod_proxy_http.so
TypesConfig /etc/mime.types
ErrorLog "$WORK/apache/error.log"
LogLevel warn
# Debian's defaults (conf-available/security.conf): the signature footer names Apache and the OS.
ServerTokens OS
ServerSignature On
ServerName localhost
DocumentRoot "$WORK/www"
<Directory "$WORK/www">
  Require all granted
</Directory>
DirectoryIndex index.html
Alias "/debian-default/" "$WORK/www/apache-default.html"
ProxyPass "/dead/" "http://$BACK:$DEAD/"
ProxyPass "/closing/" "http://$BACK:$CLOSING/"
EOF
  if [ "$AS_ROOT" = 1 ]; then printf 'User nobody\nGroup nogroup\n'; fi
} >"$WORK/apache/httpd.conf"
apache2 -f "$WORK/apache/httpd.conf" -DFOREGROUND >"$WORK/apache/stdout.log" 2>&1 &
PIDS+=($!)
wait_for_port "$FRONT" "$APACHE_PORT"
A="http://$FRONT:$APACHE_PORT"
capture apache-503-service-unavailable.http "$A/dead/health"
capture apache-502-proxy-error.http "$A/closing/health"
capture apache-404-not-found.http "$A/health"
capture apache-debian-default-page.http "$A/debian-default/"
capture apache-it-works.http "$A/itworks/"

# --- Caddy -------------------------------------------------------------------------------------
CADDY_PORT=$(free_port "$FRONT")
mkdir -p "$WORK/caddy"
cat >"$WORK/caddy/Caddyfile" <<EOF
{
	admin off
	auto_https off
	storage file_system $WORK/caddy/data
}
http://$FRONT:$CADDY_PORT {
	bind $FRONT
	reverse_proxy $BACK:$DEAD
}
EOF
HOME="$WORK/caddy" XDG_CONFIG_HOME="$WORK/caddy" XDG_DATA_HOME="$WORK/caddy" \
  caddy run --config "$WORK/caddy/Caddyfile" --adapter caddyfile >"$WORK/caddy/caddy.log" 2>&1 &
PIDS+=($!)
wait_for_port "$FRONT" "$CADDY_PORT"
capture caddy-502-empty-body.http "http://$FRONT:$CADDY_PORT/health"

log "done: fixtures in $OUT"

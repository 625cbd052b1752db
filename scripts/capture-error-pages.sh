#!/usr/bin/env bash
# capture-error-pages.sh: captures the default error pages of every reverse proxy, cache and load
# balancer installed on this machine (Debian packages) as raw HTTP responses, the fixtures of the
# error-page detector (libs/checks/src/detectors/error-page/__fixtures__, whose README.md says
# what each file is and how it was made).
#
# Usage (from the repository root, as root or not):
#   bash scripts/capture-error-pages.sh [--only vendor[,vendor...]] [output-dir]
# Vendors: nginx haproxy varnish apache caddy squid lighttpd tinyproxy nghttpx h2o trafficserver.
# Default output: the fixture folder. Software that is not installed is skipped with a message.
#
# Each server runs in its stock configuration, with only what it takes to make it a reverse proxy
# of a dead origin changed: it listens on 127.0.0.41 (a high port the kernel picks) and proxies to
# 127.0.0.42, where there is a closed port (connection refused), a listener that closes without
# answering, and one that accepts and never answers (gateway timeouts, timeouts lowered to 1-2 s).
# Everything runs in the foreground from a temp dir (configuration, pid, logs, cache): nothing in
# /etc, /var or the system services is touched. As root, servers that drop privileges are told to
# run as nobody. curl ignores proxy settings; nothing but loopback is ever contacted. Every process
# started here is stopped by its PID (each server after its captures, the rest on exit).
#
# Normalisation: curl's output is kept byte for byte except that CRLF line ends are turned into
# LF everywhere (status line, headers and body), so every fixture has the same line ends whatever
# the server sent. The loader (load-http-fixture.ts) reads: status line, headers, one empty line,
# body. Dates, ports, request ids and version numbers are whatever the capture saw.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ONLY=""
if [ "${1:-}" = "--only" ]; then
  ONLY=",${2:?--only needs a list of vendors},"
  shift 2
fi
OUT="${1:-$ROOT/libs/checks/src/detectors/error-page/__fixtures__}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
FRONT=127.0.0.41
BACK=127.0.0.42
WORK="$(mktemp -d /tmp/crosscheck-error-pages.XXXXXX)"
chmod 755 "$WORK"
PIDS=()
FAILED=()

cleanup() {
  if [ -n "${KEEP_WORK:-}" ]; then log "work dir kept: $WORK"; fi
  local pid
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -z "${KEEP_WORK:-}" ]; then rm -rf "$WORK"; fi
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
  for i in $(seq 1 150); do
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
  curl --silent --show-error --include --noproxy '*' --max-time 20 "$@" "$url" | sed -e 's/\r$//' >"$OUT/$file.tmp"
  mv "$OUT/$file.tmp" "$OUT/$file"
  log "  captured $file ($(head -n1 "$OUT/$file"))"
}

# start <name> <command...>: runs a server in the background, output to $WORK/<name>.log; its PID in $LAST.
start() {
  local name=$1
  shift
  "$@" >"$WORK/$name.log" 2>&1 &
  LAST=$!
  PIDS+=("$LAST")
}

# stop <pid>: a server started here, once its captures are done.
stop() {
  kill -TERM "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# wanted <vendor> <binary...>: whether to capture this vendor (asked for, and installed).
wanted() {
  local vendor=$1 binary
  shift
  if [ -n "$ONLY" ] && [[ "$ONLY" != *",$vendor,"* ]]; then return 1; fi
  for binary in "$@"; do
    if ! command -v "$binary" >/dev/null 2>&1; then
      log "skip $vendor: $binary is not installed"
      echo "$vendor" >>"$WORK/skipped"
      return 1
    fi
  done
  log "$vendor:"
}

AS_ROOT=0
if [ "$(id -u)" = 0 ]; then AS_ROOT=1; fi
for tool in curl node; do
  command -v "$tool" >/dev/null || { log "$tool is needed"; exit 1; }
done

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
mkdir -p "$WORK/www/docs"
# A documentation page that quotes Squid's ERR_CONNECT_FAIL page, escaped and as live markup (its
# titles, error line and footer): a near miss for the Squid fingerprint.
cat >"$WORK/www/docs/squid-error-pages.html" <<'EOF'
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Squid error pages: ERR_CONNECT_FAIL, ERR_READ_TIMEOUT and friends | Proxy handbook</title>
</head>
<body>
<main>
<h1>Reading Squid's error pages</h1>
<p>When the origin is down, Squid answers with one of its templates from
<code>/usr/share/squid/errors/</code>. This is what your users see for a refused connection:</p>
<div class="example">
<div id="titles">
<h1>ERROR</h1>
<h2>The requested URL could not be retrieved</h2>
</div>
<hr>
<div id="content">
<blockquote id="error">
<p><b>Connection to 127.0.0.42 failed.</b></p>
</blockquote>
<p id="sysmsg">The system returned: <i>(111) Connection refused</i></p>
<p>The remote host or network may be down. Please try the request again.</p>
</div>
<hr>
<div id="footer">
<p>Generated Wed, 02 Dec 2026 01:50:49 GMT by localhost (squid/5.7)</p>
<!-- ERR_CONNECT_FAIL -->
</div>
</div>
<p>The raw page starts like this:</p>
<pre><code>&lt;!DOCTYPE html PUBLIC "-//W3C//DTD HTML 4.01//EN" "http://www.w3.org/TR/html4/strict.dtd"&gt;
&lt;html&gt;&lt;head&gt;
&lt;title&gt;ERROR: The requested URL could not be retrieved&lt;/title&gt;
&lt;/head&gt;&lt;body id=ERR_CONNECT_FAIL&gt;</code></pre>
<h2>ERR_READ_TIMEOUT</h2>
<p>Sent with 504 when the origin accepted the connection but did not answer within
<code>read_timeout</code>. Check the origin before you raise the timeout.</p>
<h2>Customising the pages</h2>
<p>Set <code>error_directory</code> to a copy of the templates, or <code>deny_info</code> per ACL.</p>
</main>
<footer><p>Proxy handbook, served by nginx.</p></footer>
</body>
</html>
EOF
chmod -R a+rX "$WORK/www" "$WORK/errors" "$WORK/custom"


# --- the servers captured first: nginx, HAProxy, Varnish, Apache httpd, Caddy -------------------

capture_nginx() {
wanted nginx nginx || return 0
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
LAST=$!
PIDS+=("$LAST")
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
capture negative-docs-quoting-squid-error.http "$N/docs/squid-error-pages.html"
stop "$LAST"
}

capture_haproxy() {
wanted haproxy haproxy || return 0
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
LAST=$!
PIDS+=("$LAST")
wait_for_port "$FRONT" "$HAPROXY_PORT"
H="http://$FRONT:$HAPROXY_PORT"
capture haproxy-503-service-unavailable.http "$H/dead/health"
capture haproxy-502-bad-gateway.http "$H/closing/health"
capture haproxy-504-gateway-time-out.http "$H/hang/health"
capture haproxy-403-forbidden.http "$H/deny/health"
stop "$LAST"
}

capture_varnish() {
wanted varnish varnishd || return 0
VARNISH_PORT=$(free_port "$FRONT")
mkdir -p "$WORK/varnish"
varnishd -F -j none -n "$WORK/varnish" -a "$FRONT:$VARNISH_PORT" -T none -b "$BACK:$DEAD" -s malloc,16m \
  -p connect_timeout=1 -p first_byte_timeout=1 >"$WORK/varnish/varnishd.log" 2>&1 &
LAST=$!
PIDS+=("$LAST")
wait_for_port "$FRONT" "$VARNISH_PORT"
V="http://$FRONT:$VARNISH_PORT"
capture varnish-503-backend-fetch-failed.http "$V/health"
# builtin.vcl answers synth(400) to an HTTP/1.1 request without Host.
capture varnish-400-bad-request.http "$V/health" --http1.1 -H 'Host:'
stop "$LAST"
}

capture_apache() {
wanted apache apache2 || return 0
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
ProxyPass "/hang/" "http://$BACK:$HANG/" timeout=1
EOF
  if [ "$AS_ROOT" = 1 ]; then printf 'User nobody\nGroup nogroup\n'; fi
} >"$WORK/apache/httpd.conf"
apache2 -f "$WORK/apache/httpd.conf" -DFOREGROUND >"$WORK/apache/stdout.log" 2>&1 &
LAST=$!
PIDS+=("$LAST")
wait_for_port "$FRONT" "$APACHE_PORT"
A="http://$FRONT:$APACHE_PORT"
capture apache-503-service-unavailable.http "$A/dead/health"
capture apache-502-proxy-error.http "$A/closing/health"
capture apache-502-proxy-error-timeout.http "$A/hang/health"
capture apache-404-not-found.http "$A/health"
capture apache-debian-default-page.http "$A/debian-default/"
capture apache-it-works.http "$A/itworks/"
stop "$LAST"
}

capture_caddy() {
wanted caddy caddy || return 0
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
LAST=$!
PIDS+=("$LAST")
wait_for_port "$FRONT" "$CADDY_PORT"
capture caddy-502-empty-body.http "http://$FRONT:$CADDY_PORT/health"
stop "$LAST"
}

# --- Squid (a cache: every request here is a miss) ---------------------------------------------
capture_squid() {
wanted squid squid || return 0
local port hang_port dir=$WORK/squid
port=$(free_port "$FRONT")
hang_port=$(free_port "$FRONT")
mkdir -p "$dir"
chmod 777 "$dir"
# Debian's /etc/squid/squid.conf as shipped, with: the listening port made an accelerator port on
# loopback whose default site is the origin (a second one for the origin that never answers),
# loopback clients allowed, `always_direct allow all` (without it Squid 5 sends accelerated
# requests to cache_peers only, and with none, or the origin peer dead, answers 502 ERR_READ_ERROR
# without trying), and pid, logs and DNS kept in the temp dir and on loopback (no DNS is needed).
{
  sed -e 's|^http_port 3128$|http_port '"$FRONT:$port"' accel defaultsite='"$BACK:$DEAD"' no-vhost\nhttp_port '"$FRONT:$hang_port"' accel defaultsite='"$BACK:$HANG"' no-vhost|' \
    -e 's|^include /etc/squid/conf.d/\*\.conf$|# (conf.d not included)|' \
    -e 's|^http_access allow localhost$|acl loopback src 127.0.0.0/8\nhttp_access allow loopback|' \
    -e 's|^coredump_dir .*|coredump_dir '"$dir"'|' /etc/squid/squid.conf
  cat <<EOF
always_direct allow all
read_timeout 2 seconds
shutdown_lifetime 1 seconds
pid_filename $dir/squid.pid
cache_log $dir/cache.log
access_log stdio:$dir/access.log
netdb_filename none
pinger_enable off
visible_hostname localhost
dns_nameservers 127.0.0.1
EOF
} >"$dir/squid.conf"
start squid squid -N -f "$dir/squid.conf"
wait_for_port "$FRONT" "$port"
wait_for_port "$FRONT" "$hang_port"
capture squid-503-err-connect-fail.http "http://$FRONT:$port/health"
capture squid-504-err-read-timeout.http "http://$FRONT:$hang_port/health"
stop "$LAST"
}

# --- lighttpd ----------------------------------------------------------------------------------
capture_lighttpd() {
wanted lighttpd lighttpd || return 0
local port dir=$WORK/lighttpd
port=$(free_port "$FRONT")
mkdir -p "$dir/uploads"
# Debian's /etc/lighttpd/lighttpd.conf with: paths in the temp dir, loopback only (the stock
# use-ipv6.pl include listens on [::] too), conf-enabled/ replaced by mod_proxy to the dead origin.
{
  sed -e 's|^server.document-root .*|server.document-root        = "'"$WORK/www"'"|' \
    -e 's|^server.upload-dirs .*|server.upload-dirs          = ( "'"$dir/uploads"'" )|' \
    -e 's|^server.errorlog .*|server.errorlog             = "'"$dir/error.log"'"|' \
    -e 's|^server.pid-file .*|server.pid-file             = "'"$dir/lighttpd.pid"'"|' \
    -e 's|^server.port .*|server.port                 = '"$port"'\nserver.bind                 = "'"$FRONT"'"|' \
    -e 's|^include_shell "/usr/share/lighttpd/use-ipv6.pl.*|# (use-ipv6.pl not included: loopback only)|' \
    -e 's|^include "/etc/lighttpd/conf-enabled/\*.conf"|# (conf-enabled/ not included)|' /etc/lighttpd/lighttpd.conf
  cat <<EOF
server.modules += ( "mod_proxy" )
proxy.server = ( "" => ( ( "host" => "$BACK", "port" => $DEAD ) ) )
EOF
} >"$dir/lighttpd.conf"
# Not root: lighttpd cannot change user, and says so unless the stock username/groupname go.
if [ "$AS_ROOT" = 0 ]; then sed -i -e '/^server.username /d' -e '/^server.groupname /d' "$dir/lighttpd.conf"; fi
chown -R www-data "$dir" 2>/dev/null || true
start lighttpd lighttpd -D -f "$dir/lighttpd.conf"
wait_for_port "$FRONT" "$port"
capture lighttpd-503-service-unavailable.http "http://$FRONT:$port/health"
stop "$LAST"
}

# --- tinyproxy (reverse proxy mode) ------------------------------------------------------------
capture_tinyproxy() {
wanted tinyproxy tinyproxy || return 0
local port dir=$WORK/tinyproxy
port=$(free_port "$FRONT")
mkdir -p "$dir"
chmod 777 "$dir"
# Debian's /etc/tinyproxy/tinyproxy.conf with: the port, loopback only, pid and log in the temp
# dir, and reverse-proxy mode (ReversePath to the dead origin, ReverseOnly). Its stock error page
# is DefaultErrorFile /usr/share/tinyproxy/default.html.
{
  sed -e 's|^Port 8888$|Port '"$port"'\nListen '"$FRONT"'|' \
    -e 's|^Allow 127.0.0.1$|Allow 127.0.0.0/8|' \
    -e 's|^LogFile .*|LogFile "'"$dir/tinyproxy.log"'"|' \
    -e 's|^PidFile .*|PidFile "'"$dir/tinyproxy.pid"'"|' /etc/tinyproxy/tinyproxy.conf
  cat <<EOF
ReversePath "/" "http://$BACK:$DEAD/"
ReverseOnly Yes
EOF
} >"$dir/tinyproxy.conf"
if [ "$AS_ROOT" = 0 ]; then sed -i -e '/^User /d' -e '/^Group /d' "$dir/tinyproxy.conf"; fi
start tinyproxy tinyproxy -d -c "$dir/tinyproxy.conf"
wait_for_port "$FRONT" "$port"
capture tinyproxy-500-unable-to-connect.http "http://$FRONT:$port/health"
stop "$LAST"
}

# --- nghttpx (package nghttp2-proxy) -----------------------------------------------------------
capture_nghttpx() {
wanted nghttpx nghttpx || return 0
local port dir=$WORK/nghttpx
port=$(free_port "$FRONT")
mkdir -p "$dir"
# Debian's /etc/nghttpx/nghttpx.conf with: the frontend on loopback, the backends (a closed port,
# and one that never answers for /hang/), the error log in a file instead of syslog.
{
  sed -e 's|^frontend=.*|frontend='"$FRONT,$port"';no-tls|' \
    -e 's|^backend=.*|backend='"$BACK,$DEAD"'\nbackend='"$BACK,$HANG"';/hang/|' \
    -e 's|^errorlog-syslog=yes$|errorlog-file='"$dir/error.log"'|' /etc/nghttpx/nghttpx.conf
  echo 'backend-read-timeout=2s'
} >"$dir/nghttpx.conf"
start nghttpx nghttpx --conf="$dir/nghttpx.conf"
wait_for_port "$FRONT" "$port"
capture nghttpx-502-bad-gateway.http "http://$FRONT:$port/health"
capture nghttpx-504-gateway-timeout.http "http://$FRONT:$port/hang/health"
stop "$LAST"
}

# --- H2O -----------------------------------------------------------------------------------------
capture_h2o() {
wanted h2o h2o || return 0
local port dir=$WORK/h2o
port=$(free_port "$FRONT")
mkdir -p "$dir"
# Debian's /etc/h2o/h2o.conf with: loopback and the port, logs and pid in the temp dir, and the
# paths proxied to the dead origin (/hang/ to the one that never answers, I/O timeout 2 s).
{
  sed -e 's|^access-log: .*|access-log: "'"$dir/access.log"'"|' \
    -e 's|^error-log: .*|error-log: "'"$dir/error.log"'"|' \
    -e 's|^pid-file: .*|pid-file: "'"$dir/h2o.pid"'"|' \
    -e 's|^  port: 80$|  host: '"$FRONT"'\n  port: '"$port"'|' \
    -e '/^hosts:/,$d' /etc/h2o/h2o.conf
  cat <<EOF
proxy.timeout.io: 2000
hosts:
  default:
    paths:
      /hang/:
        proxy.reverse.url: http://$BACK:$HANG/
      /:
        proxy.reverse.url: http://$BACK:$DEAD/
EOF
} >"$dir/h2o.conf"
if [ "$AS_ROOT" = 0 ]; then sed -i -e '/^user: /d' "$dir/h2o.conf"; fi
chmod 777 "$dir"
start h2o h2o -m master -c "$dir/h2o.conf"
wait_for_port "$FRONT" "$port"
capture h2o-502-connection-failed.http "http://$FRONT:$port/health"
capture h2o-502-io-timeout.http "http://$FRONT:$port/hang/health"
stop "$LAST"
}

# --- Apache Traffic Server -----------------------------------------------------------------------
capture_trafficserver() {
wanted trafficserver traffic_server || return 0
local port dir=$WORK/trafficserver
port=$(free_port "$FRONT")
mkdir -p "$dir/run" "$dir/log" "$dir/cache" "$dir/var"
# Debian's /etc/trafficserver copied as it is (body_factory templates included), with: the port
# on loopback, a 64 MB cache file in the temp dir instead of /var/cache/trafficserver, remap rules
# to the dead origin (/hang/ to the one that never answers, no-activity timeout 2 s), and a runroot that puts config, logs and runtime files in the temp dir.
cp -a /etc/trafficserver "$dir/etc"
sed -i -e 's|^CONFIG proxy.config.http.server_ports STRING .*|CONFIG proxy.config.http.server_ports STRING '"$port"':ip-in='"$FRONT"'|' "$dir/etc/records.config"
if [ "$AS_ROOT" = 0 ]; then sed -i -e 's|^CONFIG proxy.config.admin.user_id STRING .*|CONFIG proxy.config.admin.user_id STRING #-1|' "$dir/etc/records.config"; fi
printf '%s 64M\n' "$dir/cache/cache.db" >"$dir/etc/storage.config"
printf 'map /hang/ http://%s:%s/\nmap / http://%s:%s/\n' "$BACK" "$HANG" "$BACK" "$DEAD" >>"$dir/etc/remap.config"
printf 'CONFIG proxy.config.http.transaction_no_activity_timeout_out INT 2\n' >>"$dir/etc/records.config"
cat >"$dir/runroot.yaml" <<EOF
prefix: $dir
exec_prefix: /usr
bindir: /usr/bin
sbindir: /usr/sbin
sysconfdir: $dir/etc
datadir: $dir/cache
includedir: /usr/include
libdir: /usr/lib/trafficserver
libexecdir: /usr/lib/trafficserver/modules
localstatedir: $dir/var
runtimedir: $dir/run
logdir: $dir/log
cachedir: $dir/cache
EOF
if [ "$AS_ROOT" = 1 ]; then chown -R trafficserver "$dir" 2>/dev/null || chown -R nobody "$dir"; fi
start trafficserver traffic_server --run-root="$dir/runroot.yaml"
wait_for_port "$FRONT" "$port"
capture trafficserver-502-could-not-connect.http "http://$FRONT:$port/health"
capture trafficserver-504-connection-timed-out.http "http://$FRONT:$port/hang/health"
stop "$LAST"
}

# --- run -----------------------------------------------------------------------------------------
for vendor in nginx haproxy varnish apache caddy squid lighttpd tinyproxy nghttpx h2o trafficserver; do
  # One vendor failing (a port never opened, curl timed out) must not stop the others. Each runs in
  # a subshell that stops whatever it started, however it ends; not as an `if` condition, where
  # bash would ignore `set -e` inside it.
  base=${#PIDS[@]}
  set +e
  (
    set -e
    trap 'for pid in "${PIDS[@]:'"$base"'}"; do kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done; rm -f "$OUT"/*.http.tmp' EXIT
    "capture_$vendor"
  )
  status=$?
  set -e
  if [ "$status" != 0 ]; then
    log "FAILED $vendor (see above; fixtures it had not written yet are unchanged)"
    FAILED+=("$vendor")
  fi
done
log "done: fixtures in $OUT"
if [ -s "$WORK/skipped" ]; then log "skipped (not installed): $(tr '\n' ' ' <"$WORK/skipped")"; fi
if [ ${#FAILED[@]} -gt 0 ]; then log "failed: ${FAILED[*]}"; exit 1; fi

/**
 * Fingerprints of the pages that proxies, load balancers and CDNs send on their own behalf when
 * the application behind them fails (or was never configured): stock error pages, "default
 * welcome" pages, and the bare bodies some proxies answer with.
 *
 * Every entry matches on the structure of the whole page, never on a phrase somewhere in it: the
 * page must be the entire body (anchored patterns over the trimmed body), no longer than the
 * page can be, and where a body alone is ambiguous (an empty body) the vendor's header and the
 * status must agree too. A blog post that quotes nginx's 502 page, an application page sent
 * with `Server: nginx`, or a JSON error that says "Bad Gateway" is none of these.
 *
 * Where each template comes from is noted on its entry. Pages captured from the real software
 * (see `scripts/capture-error-pages.sh`) and the ones reconstructed from source or documented responses
 * are listed in `__fixtures__/README.md`.
 */

/** Bodies longer than this are never one of these pages, so recognition stops there (16 KiB). */
export const ERROR_PAGE_MAX_BODY_LENGTH = 16 * 1024;

/** Plain-text pages (Envoy, Traefik, Fastly…) are one short line. */
export const PLAIN_TEXT_PAGE_MAX_LENGTH = 512;

/** `html`: first non-blank character is `<`; `text`: anything else that is not empty; `empty`: no body at all. */
export type ErrorPageBodyShape = 'html' | 'text' | 'empty';

/** What a fingerprint is shown: the response, with its body normalised once. */
export interface ErrorPageCandidate {
  readonly status: number;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body with CRLF and CR line ends turned into LF and surrounding whitespace trimmed. */
  readonly text: string;
}

/** What a fingerprint concludes: the vendor, the page and what in the body said so. */
export interface FingerprintHit {
  vendor: string;
  page: string;
  signals: string[];
}

/** A header that, when present and matching, supports a hit (it never makes one on its own). */
export interface SupportingHeader {
  readonly name: string;
  readonly pattern: RegExp;
}

/** One kind of page of one vendor. */
export interface ErrorPageFingerprint {
  /** Stable id, e.g. `nginx-status-page`. */
  readonly id: string;
  /** The vendor in the usual case (a hit may refine it, e.g. from the page's footer). */
  readonly vendor: string;
  readonly shape: ErrorPageBodyShape;
  /** The longest body (in characters) the page can be; longer bodies are not this page. */
  readonly maxLength: number;
  /**
   * A literal the raw body must contain: the cheap test before any pattern runs. It is searched in
   * every HTML body, so it starts with a character that is rare in HTML (not `<`, `"`, a space or a
   * common lower-case letter): V8's substring search stops at each occurrence of the first
   * character, and a needle starting with `<` costs about ten times as much on a typical page.
   */
  readonly needle?: string;
  /** Headers named in the signals when they agree with the vendor. */
  readonly supportingHeaders?: readonly SupportingHeader[];
  /** The precise test, on a candidate that passed shape, length and needle. */
  readonly match: (candidate: ErrorPageCandidate) => FingerprintHit | undefined;
}

const SERVER_NGINX: SupportingHeader = { name: 'server', pattern: /^(?:nginx|openresty|tengine)\b/i };
const SERVER_VARNISH: SupportingHeader = { name: 'server', pattern: /^varnish\b/i };
const VIA_VARNISH: SupportingHeader = { name: 'via', pattern: /varnish/i };
const SERVER_APACHE: SupportingHeader = { name: 'server', pattern: /^apache\b/i };
const SERVER_IIS: SupportingHeader = { name: 'server', pattern: /^microsoft-(?:iis|httpapi)\//i };
const SERVER_ENVOY: SupportingHeader = { name: 'server', pattern: /envoy/i };
const SERVER_CLOUDFLARE: SupportingHeader = { name: 'server', pattern: /^cloudflare/i };
const CF_RAY: SupportingHeader = { name: 'cf-ray', pattern: /^[0-9a-f]{8,}/i };
const SERVER_AKAMAI: SupportingHeader = { name: 'server', pattern: /^akamaighost/i };
const FASTLY_SERVED_BY: SupportingHeader = { name: 'x-served-by', pattern: /\bcache-[a-z0-9-]+/i };
const SERVER_GFE: SupportingHeader = { name: 'server', pattern: /^(?:gfe\/|google frontend$|gws$|sffe$)/i };
const SERVER_AWSELB: SupportingHeader = { name: 'server', pattern: /^awselb\//i };

/** Shortens a value quoted in a signal. */
function quote(value: string, max = 120): string {
  const flat = value.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Turns `&#32;&#35;18&#46;` into ` #18.` for signals (only numeric entities and the five named ones). */
function decodeEntities(value: string): string {
  return value
    .replace(/&#(\d{1,5});/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[name] ?? '');
}

/**
 * Regular expressions are compiled once, here. Every one is anchored or bounded, and runs only on
 * bodies already known to be short, so none can be made slow by what a server sends.
 */

// nginx, src/http/ngx_http_special_response.c: `ngx_http_error_NNN_page` ("<html>\r\n<head><title>502
// Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n"), then the
// tail "<hr><center>nginx/1.22.1</center>" (server_tokens on) or "<hr><center>nginx</center>",
// then optionally six lines of "msie padding". Before 1.21.x `<body bgcolor="white">`. The same
// template, with the product's own footer, is sent by OpenResty, Tengine, Cloudflare
// ("<hr><center>cloudflare</center>") and Azure Application Gateway; AWS ALB sends it without
// any footer (server: awselb/2.0).
const NGINX_STATUS_PAGE =
  /^<html>\n<head><title>(\d{3}) ([^<\n]{1,80})<\/title><\/head>\n<body(?: bgcolor="white")?>\n<center><h1>(\d{3}) ([^<\n]{1,80})<\/h1><\/center>\n(?:<center>[^<\n]{1,120}<\/center>\n)?(?:<hr><center>([^<\n]{1,80})<\/center>\n)?<\/body>\n<\/html>(?:\n<!-- [^\n]{1,80} -->){0,6}$/;

const FOOTER_VENDORS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^nginx\b/i, 'nginx'],
  [/^openresty\b/i, 'OpenResty'],
  [/^tengine\b/i, 'Tengine'],
  [/^cloudflare/i, 'Cloudflare'],
  [/^microsoft-azure-application-gateway\b/i, 'Azure Application Gateway'],
];

function vendorOfFooter(footer: string): string {
  for (const [pattern, vendor] of FOOTER_VENDORS) if (pattern.test(footer)) return vendor;
  // Another product built on nginx that put its own name in the footer.
  return quote(footer.split('/')[0] ?? footer, 40);
}

// nginx's html/50x.html (docs/html/50x.html in the nginx source; the page behind the stock
// `error_page 500 502 503 504 /50x.html`, often with `=200`): "An error occurred. ... Faithfully
// yours, nginx." Older releases shipped a file saying "The page you are looking for is temporarily unavailable."
const NGINX_50X_HTML = /^(?:<!DOCTYPE html>\n)?<html>[\s\S]{0,600}<h1>An error occurred\.<\/h1>[\s\S]{0,600}<p><em>Faithfully yours, nginx\.<\/em><\/p>\n<\/body>\n<\/html>$/;
const NGINX_50X_HTML_OLD =
  /^<html>\n<head>\n<title>The page is temporarily unavailable<\/title>[\s\S]{0,400}The page you are looking for is temporarily unavailable\.<br\/>\nPlease try again later\.[\s\S]{0,100}<\/html>$/;

// nginx's html/index.html ("Welcome to nginx!"), shipped by Debian as /usr/share/nginx/html/index.html
// and /var/www/html/index.nginx-debian.html.
const NGINX_WELCOME = /^<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!<\/title>[\s\S]{0,400}<h1>Welcome to nginx!<\/h1>\n<p>If you see this page, the nginx web server is successfully installed and\nworking\. Further configuration is required\.<\/p>[\s\S]{0,400}<\/html>$/;

// ingress-nginx's default backend (kubernetes/ingress-nginx images/custom-error-pages and the
// classic defaultbackend image): the body for a host/path no Ingress routes.
const INGRESS_DEFAULT_BACKEND = /^default backend - (404)$/;

// HAProxy, src/http_htx.c / src/http.c `http_err_msgs[]` (Debian also ships them as
// /etc/haproxy/errors/*.http): "<html><body><h1>503 Service Unavailable</h1>\nNo server is
// available to handle this request.\n</body></html>\n". The 200 "Service ready." of monitor-uri
// is HAProxy's own health answer, not an error, and is left alone (so are 401/407 challenges).
const HAPROXY_PAGE = /^<html><body><h1>(\d{3}) ([^<\n]{1,60})<\/h1>\n([^<\n]{1,200})\n<\/body><\/html>$/;

// Varnish, bin/varnishd/builtin.vcl `vcl_builtin_synth` / `vcl_builtin_backend_error` (7.x), and
// the XHTML variant of Varnish 3–5: "<h1>Error 503 Backend fetch failed</h1> ... <h3>Guru
// Meditation:</h3> <p>XID: 3</p> <hr> <p>Varnish cache server</p>".
const VARNISH_GURU_MEDITATION =
  /^(?:<\?xml[^>]{0,80}>\n)?<!DOCTYPE html[^>]{0,200}>\n<html>\n\s*<head>\n\s*<title>(\d{3}) ([^<\n]{0,80})<\/title>\n\s*<\/head>\n\s*<body>\n\s*<h1>Error (\d{3}) [^<\n]{0,80}<\/h1>\n\s*<p>[^<\n]{0,80}<\/p>\n\s*<h3>Guru Meditation:<\/h3>\n\s*<p>XID: (\d{1,20})<\/p>\n\s*<hr>\n\s*<p>Varnish cache server<\/p>\n\s*<\/body>\n<\/html>$/;

// Fastly's edge (a Varnish fork) keeps the template with its own spelling and a POP id instead
// of the XID: "<h3>Guru Mediation:</h3> <p>Details: cache-sea4461-SEA 1645545919 4156862784</p>".
const FASTLY_GURU_MEDIATION =
  /^(?:<\?xml[^>]{0,80}>\n)?<!DOCTYPE html[^>]{0,200}>\n<html>\n\s*<head>\n\s*<title>(\d{3}) ([^<\n]{0,80})<\/title>\n\s*<\/head>\n\s*<body>\n\s*<h1>Error (\d{3}) [^<\n]{0,80}<\/h1>\n\s*<p>[^<\n]{0,80}<\/p>\n\s*<h3>Guru Mediation:<\/h3>\n\s*<p>Details: (cache-[A-Za-z0-9-]{1,60})[^<\n]{0,60}<\/p>\n\s*<hr>\n\s*<p>Varnish cache server<\/p>\n\s*<\/body>\n<\/html>$/;

// Fastly, a request for a host no Fastly service claims (documented by Fastly and by every
// subdomain-takeover scanner): "Fastly error: unknown domain: example.com. Please check that this
// domain has been added to a service." followed by "Details: cache-…".
const FASTLY_UNKNOWN_DOMAIN = /^Fastly error: unknown domain(?::? ?([^\s]{1,253}?))?\.?(?: [^\n]{0,200})?(?:\n+Details: (cache-[A-Za-z0-9-]{1,60}))?$/;

// Envoy, source/common/router/router.cc: local replies sent as text/plain when the upstream
// fails ("upstream connect error or disconnect/reset before headers. [retried and the latest ]
// reset reason: …"), when the cluster has no healthy host ("no healthy upstream") and when the
// route timeout fires ("upstream request timeout"). Istio's sidecars and gateways are Envoy.
const ENVOY_RESET = /^upstream connect error or disconnect\/reset before headers\. (?:retried and the latest )?reset reason: ([^\n]{1,300})$/;
const ENVOY_NO_HEALTHY_UPSTREAM = /^no healthy upstream$/;
const ENVOY_TIMEOUT = /^upstream request timeout$/;

// Traefik, pkg/proxy/httputil (ErrorHandler writes `http.StatusText(code)`: "Bad Gateway",
// "Gateway Timeout", no newline) and pkg/server/service/loadbalancer/wrr (`http.Error(w, "no
// available server", 503)`). "Service Unavailable" (the empty-backend handler) and "404 page not
// found" (no router matched: Go's http.NotFound) are Go defaults other Go servers send too.
const TRAEFIK_PROXY_ERROR = /^(Bad Gateway|Gateway Timeout)$/;
const TRAEFIK_NO_SERVER = /^no available server$/;
const GO_DEFAULT_TEXT = /^(Service Unavailable|404 page not found)$/;

// Apache httpd, modules/http/http_protocol.c (`ap_send_error_response` + `get_canned_error_string`):
// "<!DOCTYPE HTML PUBLIC …>\n<html><head>\n<title>502 Proxy Error</title>\n</head><body>\n<h1>Proxy
// Error</h1>\n…<hr>\n<address>Apache/2.4.71 (Debian) Server at host Port 80</address>\n</body></html>".
// 2.4.x before 2.4.59 used the "-//IETF//DTD HTML 2.0//EN" doctype; the <address> footer is there
// with `ServerSignature On` (Debian's default).
const APACHE_CANNED =
  /^<!DOCTYPE HTML PUBLIC "-\/\/(?:IETF\/\/DTD HTML 2\.0|W3C\/\/DTD HTML 4\.01)\/\/EN"(?: "http:\/\/www\.w3\.org\/TR\/html4\/strict\.dtd")?>\n<html><head>\n<title>(\d{3}) ([^<\n]{1,80})<\/title>\n<\/head><body>\n<h1>([^<\n]{1,80})<\/h1>\n([\s\S]{0,1500}?)(?:<hr>\n<address>([^<\n]{1,200})<\/address>\n)?<\/body><\/html>$/;
const APACHE_PROXY_REASON = /Reason: <strong>([^<]{1,120})<\/strong>/;

// Debian's and Ubuntu's /var/www/html/index.html (package apache2) and httpd's own htdocs/index.html.
const APACHE_DISTRO_DEFAULT = /<title>Apache2 (Debian|Ubuntu) Default Page: It works<\/title>/;
const APACHE_IT_WORKS = /^<html><body><h1>It works!<\/h1><\/body><\/html>$/;

// IIS custom errors (%SystemDrive%\inetpub\custerr\<lang>\NNN.htm, "friendly" mode), e.g. the ARR
// 502: "<div id="header"><h1>Server Error</h1></div> … <h2>502 - Web server received an invalid
// response while acting as a gateway or proxy server.</h2>".
const IIS_CUSTERR = /<div id="header"><h1>Server Error<\/h1><\/div>\n<div id="content">\n\s*<div class="content-container"><fieldset>\n\s*<h2>(\d{3})(?:\.\d{1,3})? - ([^<\n]{1,200})<\/h2>/;
// HTTP.sys, the kernel listener under IIS, when no worker can take the request (app pool stopped,
// queue full): "<hr><p>HTTP Error 503. The service is unavailable.</p>", Server: Microsoft-HTTPAPI/2.0.
const IIS_HTTP_SYS =
  /^<!DOCTYPE HTML PUBLIC "-\/\/W3C\/\/DTD HTML 4\.01\/\/EN"\s*"http:\/\/www\.w3\.org\/TR\/html4\/strict\.dtd">\n<HTML><HEAD><TITLE>[^<\n]{1,80}<\/TITLE>\n<META [^>\n]{1,120}><\/HEAD>\n<BODY><h2>[^<\n]{1,80}<\/h2>\n<hr><p>(HTTP Error \d{3}(?:\.\d{1,3})?\. [^<\n]{1,200})<\/p>\n<\/BODY><\/HTML>$/;
// IIS detailed errors (local requests, or errorMode="Detailed"): "<title>IIS 10.0 Detailed Error -
// 502.3 - Bad Gateway</title>" and "<h3>HTTP Error 502.3 - Bad Gateway</h3>".
const IIS_DETAILED_TITLE = /^<!DOCTYPE html[^>]{0,200}>\n<html[^>]{0,80}>\n<head>\n(?:<meta [^>\n]{1,200}\/?>\n)?<title>IIS (\d{1,2}\.\d) Detailed Error - (\d{3}(?:\.\d{1,3})?) - ([^<\n]{1,120})<\/title>/;

// Cloudflare's own error pages (5xx origin errors 520–530 and 1xxx edge errors): the "cf-wrapper"
// layout with "cf-error-details", the error code and the Ray ID.
const CLOUDFLARE_ERROR_CODE = /<span class="cf-error-code">(\d{3,4})<\/span>|<span class="code-label">Error code (\d{3,4})<\/span>/;
const CLOUDFLARE_TITLE_DESCRIPTION = /<title>(?:[^<|]{1,120}\| )?\d{3,4}: ([^<|\n]{1,100}?)\s*(?:\|[^<]{0,120})?<\/title>/;
const CLOUDFLARE_RAY = /(?:Cloudflare|CloudFlare) Ray ID: <strong[^>]{0,40}>([0-9a-f]{16})<\/strong>/;
// Cloudflare's plain 1xxx answers to non-browser clients, e.g. "error code: 1020".
const CLOUDFLARE_ERROR_CODE_TEXT = /^error code: (1\d{3})$/;

// Akamai (AkamaiGHost) edge pages: "<HTML><HEAD><TITLE>Access Denied</TITLE></HEAD><BODY> …
// Reference&#32;&#35;18&#46;…" (WAF/ACL deny) and "<TITLE>Error</TITLE> … An error occurred while
// processing your request.<p> Reference&#32;&#35;…" (origin failure).
const AKAMAI_PAGE = /^<HTML><HEAD>\s*<TITLE>([^<\n]{1,60})<\/TITLE>\s*<\/HEAD>\s*<BODY>([\s\S]{0,1200})<\/BODY>\s*<\/HTML>$/i;
const AKAMAI_REFERENCE = /Reference&#32;&#35;(\d{1,4}(?:&#46;[0-9a-f]{1,20}){1,4})/;
const AKAMAI_PROCESSING_ERROR = 'An error occurred while processing your request.';

// Google Front End (Google Cloud load balancers, App Engine, Cloud Run, Google's own sites):
// "<title>Error 502 (Server Error)!!1</title> … <p><b>502.</b> <ins>That’s an error.</ins>".
const GFE_TITLE = /^<!DOCTYPE html>\n<html lang=en>\n[\s\S]{0,300}<title>Error (\d{3}) \(([^)<\n]{1,60})\)!!1<\/title>/;
const GFE_THATS_AN_ERROR = /<p><b>(\d{3})\.<\/b> <ins>That(?:’|&#8217;|&rsquo;|')s an error\.<\/ins>/;

// Squid, errors/templates/ERR_* (the English set; every language has the same skeleton): "<!DOCTYPE
// html PUBLIC "-//W3C//DTD HTML 4.01//EN" …>\n<html><head>\n<meta type="copyright" content="Copyright
// (C) 1996-2021 The Squid Software Foundation …">" … "</head><body id=ERR_CONNECT_FAIL>\n<div
// id="titles">\n<h1>ERROR</h1>" … and the footer "<p>Generated <date> by <host> (squid/5.7)</p>\n<!--
// ERR_CONNECT_FAIL -->\n</div>\n</body></html>". Head, body tag and footer are each anchored, and the
// template's name must be the same in the body id and the closing comment.
const SQUID_HEAD = /^<!DOCTYPE html PUBLIC "-\/\/W3C\/\/DTD HTML 4\.01\/\/EN" "http:\/\/www\.w3\.org\/TR\/html4\/strict\.dtd">\n<html><head>\n(?:<meta type="copyright" content="Copyright \(C\) 1996-\d{4} The Squid Software Foundation and contributors">\n)?/i;
const SQUID_BODY = /\n<\/head><body id="?(ERR_[A-Z0-9_]{1,60})"?>\n<div id="titles">\n<h1>[^<\n]{1,60}<\/h1>\n<h2>[^<\n]{1,200}<\/h2>\n<\/div>\n/;
const SQUID_FOOTER = /\n<div id="footer">\n<p>Generated [^<\n]{1,100} by [^<\n]{1,255} \((squid(?:\/[0-9A-Za-z.-]{1,30})?)\)<\/p>\n<!-- (ERR_[A-Z0-9_]{1,60}) -->\n<\/div>\n<\/body><\/html>$/;
const SQUID_ERROR_LINE = /<blockquote id="error">\n<p><b>([^<\n]{1,200})<\/b><\/p>/;
/** Squid's own pages that are authentication challenges (401/407), left to the auth-wall detector. */
const SQUID_CHALLENGES: ReadonlySet<string> = new Set(['ERR_CACHE_ACCESS_DENIED', 'ERR_CACHE_MGR_ACCESS_DENIED']);

// Apache Traffic Server, the body_factory/default templates (Debian: /etc/trafficserver/body_factory):
// "<HTML>\n<HEAD>\n<TITLE>Could Not Connect</TITLE>\n</HEAD>\n\n<BODY BGCOLOR="white" FGCOLOR="black">\n
// <H1>Could Not Connect</H1>\n<HR>\n\n<FONT FACE="Helvetica,Arial"><B>\nDescription: Could not connect to
// the requested server host.\n</B></FONT>\n<HR>\n</BODY>" (no </HTML>).
const ATS_BODY_FACTORY =
  /^<HTML>\n<HEAD>\n<TITLE>([^<\n]{1,80})<\/TITLE>\n<\/HEAD>\n\n<BODY BGCOLOR="white" FGCOLOR="black">\n<H1>([^<\n]{1,80})<\/H1>\n<HR>\n\n<FONT FACE="Helvetica,Arial"><B>\n(?:<B> )?Description: ([^<]{1,600}?)\n<\/B><\/FONT>\n<HR>\n<\/BODY>(?:\n<\/HTML>)?$/;
/** Templates that are not a failure: a redirect's body and the proxy-auth challenge. */
const ATS_NOT_FAILURES: ReadonlySet<string> = new Set(['Document Has Moved', 'Proxy Authentication Required']);

// tinyproxy, /usr/share/tinyproxy/default.html (DefaultErrorFile of the stock tinyproxy.conf) with its
// {errno} {cause} {detail} {website} {package} {version} filled in: "<title>500 Unable to
// connect</title>" … "<p><em>Generated by <a href="https://tinyproxy.github.io/">tinyproxy</a> version
// 1.11.1.</em></p>".
const TINYPROXY_DEFAULT_HTML =
  /^<\?xml version="1\.0" encoding="UTF-8" \?>\n<!DOCTYPE html PUBLIC "-\/\/W3C\/\/DTD XHTML 1\.1\/\/EN" "http:\/\/www\.w3\.org\/TR\/xhtml11\/DTD\/xhtml11\.dtd">\n\n<html xmlns="http:\/\/www\.w3\.org\/1999\/xhtml" xml:lang="en">\n\n<head>\n<title>(\d{3}) ([^<\n]{1,80})<\/title>\n<meta http-equiv="Content-Type" content="text\/html; charset=UTF-8" \/>\n<\/head>\n\n<body>\n\n<h1>([^<\n]{1,80})<\/h1>\n\n<p>([^<]{0,600})<\/p>\n\n<hr \/>\n\n<p><em>Generated by <a href="[^"<\n]{1,100}">tinyproxy<\/a> version ([^<\n]{1,20})\.<\/em><\/p>\n\n<\/body>\n\n<\/html>$/;

// lighttpd, src/http-header-glue.c (`http_response_body_append_error`, 1.4.x): the XHTML page it sends
// for its own errors, including 503 when mod_proxy's backend is down. No product name in the body:
// the exact template (its XML prolog in iso-8859-1 and the nine-space DTD continuation) is the mark.
const LIGHTTPD_ERROR =
  /^<\?xml version="1\.0" encoding="iso-8859-1"\?>\n<!DOCTYPE html PUBLIC "-\/\/W3C\/\/DTD XHTML 1\.0 Transitional\/\/EN"\n {9}"http:\/\/www\.w3\.org\/TR\/xhtml1\/DTD\/xhtml1-transitional\.dtd">\n<html xmlns="http:\/\/www\.w3\.org\/1999\/xhtml" xml:lang="en" lang="en">\n <head>\n {2}<title>(\d{3}) ([^<\n]{1,80})<\/title>\n <\/head>\n <body>\n {2}<h1>(\d{3}) ([^<\n]{1,80})<\/h1>\n <\/body>\n<\/html>$/;

// nghttpx (nghttp2's proxy), src/shrpx_http.cc `create_error_html`: one line, the footer is the
// `server-name` option ("nghttpx" by default).
const NGHTTPX_ERROR = /^<!DOCTYPE html><html lang="en"><title>(\d{3}) ([^<\n]{1,80})<\/title><body><h1>(\d{3}) ([^<\n]{1,80})<\/h1><footer>([^<\n]{1,80})<\/footer><\/body><\/html>$/;

// H2O, lib/core/proxy.c: `h2o_send_error_502(req, "Gateway Error", errstr, …)` with the socket or
// HTTP client's error string as a text/plain body ("connection failed", "I/O timeout", …): the
// strings of h2o 2.2 (lib/common/socket.c, socketpool.c, http1client.c).
const H2O_PROXY_ERROR =
  /^(connection failed|connection failure|connection timeout|I\/O timeout|I\/O error(?: \((?:head|send request|body; chunked|body; content-length)\))?|socket closed by peer|failed to parse the response(?: \(chunked\))?|invalid response from upstream(?: \(malformed content-length\))?|failed to connect to host|Host not found)$/;

function hasHeader(candidate: ErrorPageCandidate, name: string, pattern: RegExp): boolean {
  const value = candidate.headers[name];
  return value !== undefined && pattern.test(value);
}

/** True when the response carries a web framework's own markers, so a bare status text came from the application. */
function hasApplicationMarkers(candidate: ErrorPageCandidate): boolean {
  return candidate.headers['x-powered-by'] !== undefined || candidate.headers['etag'] !== undefined || candidate.headers['set-cookie'] !== undefined;
}

const GATEWAY_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);

/**
 * 401 and 407 pages are authentication challenges, not a proxy standing in for a failed
 * application: the auth-wall detector reports them.
 */
const CHALLENGE_STATUSES: ReadonlySet<string> = new Set(['401', '407']);

/** The table, most specific first. */
export const ERROR_PAGE_FINGERPRINTS: readonly ErrorPageFingerprint[] = [
  {
    id: 'nginx-status-page',
    vendor: 'nginx',
    shape: 'html',
    maxLength: 2048,
    needle: '</h1></center>',
    supportingHeaders: [SERVER_NGINX, SERVER_CLOUDFLARE, CF_RAY, SERVER_AWSELB],
    match: ({ text, headers }) => {
      const m = NGINX_STATUS_PAGE.exec(text);
      if (!m || m[1] !== m[3] || CHALLENGE_STATUSES.has(m[1] ?? '')) return undefined;
      const page = `${m[3]} ${m[4]}`;
      const footer = m[5];
      if (footer !== undefined) {
        return { vendor: vendorOfFooter(footer), page, signals: [`body: nginx status page <h1>${page}</h1>`, `body: <hr><center>${quote(footer, 80)}</center>`] };
      }
      const server = headers['server'];
      if (server !== undefined && SERVER_AWSELB.pattern.test(server)) {
        return { vendor: 'AWS ALB', page, signals: [`body: nginx-style status page <h1>${page}</h1> without a footer`] };
      }
      return { vendor: 'unidentified proxy', page, signals: [`body: nginx-style status page <h1>${page}</h1> without a vendor footer (as AWS ALB sends)`] };
    },
  },
  {
    id: 'nginx-50x-html',
    vendor: 'nginx',
    shape: 'html',
    maxLength: 2048,
    needle: 'Faithfully yours, nginx.',
    supportingHeaders: [SERVER_NGINX],
    match: ({ text }) =>
      NGINX_50X_HTML.test(text) ? { vendor: 'nginx', page: 'default 50x.html', signals: ['body: "An error occurred." … "Faithfully yours, nginx." (html/50x.html)'] } : undefined,
  },
  {
    id: 'nginx-50x-html-legacy',
    vendor: 'nginx',
    shape: 'html',
    maxLength: 1024,
    needle: 'The page you are looking for is temporarily unavailable.',
    supportingHeaders: [SERVER_NGINX],
    match: ({ text }) =>
      NGINX_50X_HTML_OLD.test(text)
        ? { vendor: 'nginx', page: 'default 50x.html', signals: ['body: "The page you are looking for is temporarily unavailable." (html/50x.html of older nginx releases)'] }
        : undefined,
  },
  {
    id: 'nginx-welcome',
    vendor: 'nginx',
    shape: 'html',
    maxLength: 2048,
    needle: 'Welcome to nginx!</title>',
    supportingHeaders: [SERVER_NGINX],
    match: ({ text }) =>
      NGINX_WELCOME.test(text) ? { vendor: 'nginx', page: 'default welcome page', signals: ['body: <title>Welcome to nginx!</title> (html/index.html)'] } : undefined,
  },
  {
    id: 'ingress-nginx-default-backend',
    vendor: 'ingress-nginx',
    shape: 'text',
    maxLength: 64,
    needle: 'default backend - ',
    supportingHeaders: [SERVER_NGINX],
    match: ({ text }) =>
      INGRESS_DEFAULT_BACKEND.test(text) ? { vendor: 'ingress-nginx', page: 'default backend - 404', signals: ['body: exactly "default backend - 404"'] } : undefined,
  },
  {
    id: 'haproxy-status-page',
    vendor: 'HAProxy',
    shape: 'html',
    maxLength: 512,
    needle: '<html><body><h1>',
    match: ({ text }) => {
      const m = HAPROXY_PAGE.exec(text);
      if (!m || m[1] === '200' || CHALLENGE_STATUSES.has(m[1] ?? '')) return undefined;
      const page = `${m[1]} ${m[2]}`;
      return { vendor: 'HAProxy', page, signals: [`body: HAProxy status page <h1>${page}</h1> "${quote(m[3] ?? '', 80)}"`] };
    },
  },
  {
    id: 'varnish-guru-meditation',
    vendor: 'Varnish',
    shape: 'html',
    maxLength: 2048,
    needle: 'Guru Meditation:</h3>',
    supportingHeaders: [SERVER_VARNISH, VIA_VARNISH, { name: 'x-varnish', pattern: /^\d/ }],
    match: ({ text }) => {
      const m = VARNISH_GURU_MEDITATION.exec(text);
      if (!m || m[1] !== m[3]) return undefined;
      return {
        vendor: 'Varnish',
        page: `Guru Meditation: ${m[1]} ${m[2]}`,
        signals: [`body: "Guru Meditation:" XID ${m[4]}`, 'body: "Varnish cache server"'],
      };
    },
  },
  {
    id: 'fastly-guru-mediation',
    vendor: 'Fastly',
    shape: 'html',
    maxLength: 2048,
    needle: 'Guru Mediation:</h3>',
    supportingHeaders: [FASTLY_SERVED_BY, { name: 'x-fastly-request-id', pattern: /./ }, VIA_VARNISH],
    match: ({ text }) => {
      const m = FASTLY_GURU_MEDIATION.exec(text);
      if (!m || m[1] !== m[3]) return undefined;
      return { vendor: 'Fastly', page: `Guru Mediation: ${m[1]} ${m[2]}`, signals: [`body: "Guru Mediation:" Details: ${m[4]}`, 'body: "Varnish cache server"'] };
    },
  },
  {
    id: 'fastly-unknown-domain',
    vendor: 'Fastly',
    shape: 'text',
    maxLength: 512,
    needle: 'Fastly error: unknown domain',
    supportingHeaders: [FASTLY_SERVED_BY],
    match: ({ text }) => {
      const m = FASTLY_UNKNOWN_DOMAIN.exec(text);
      if (!m) return undefined;
      return { vendor: 'Fastly', page: 'unknown domain', signals: [`body: "Fastly error: unknown domain${m[1] ? `: ${quote(m[1], 80)}` : ''}"`] };
    },
  },
  {
    id: 'envoy-upstream-reset',
    vendor: 'Envoy',
    shape: 'text',
    maxLength: 512,
    needle: 'upstream connect error or disconnect/reset before headers.',
    supportingHeaders: [SERVER_ENVOY],
    match: ({ text }) => {
      const m = ENVOY_RESET.exec(text);
      return m ? { vendor: 'Envoy', page: 'upstream connect error', signals: [`body: "upstream connect error or disconnect/reset before headers", reset reason: ${quote(m[1] ?? '', 100)}`] } : undefined;
    },
  },
  {
    id: 'envoy-no-healthy-upstream',
    vendor: 'Envoy',
    shape: 'text',
    maxLength: 64,
    needle: 'no healthy upstream',
    supportingHeaders: [SERVER_ENVOY],
    match: ({ text }) => (ENVOY_NO_HEALTHY_UPSTREAM.test(text) ? { vendor: 'Envoy', page: 'no healthy upstream', signals: ['body: exactly "no healthy upstream"'] } : undefined),
  },
  {
    id: 'envoy-upstream-timeout',
    vendor: 'Envoy',
    shape: 'text',
    maxLength: 64,
    needle: 'upstream request timeout',
    supportingHeaders: [SERVER_ENVOY],
    match: ({ text }) => (ENVOY_TIMEOUT.test(text) ? { vendor: 'Envoy', page: 'upstream request timeout', signals: ['body: exactly "upstream request timeout"'] } : undefined),
  },
  {
    // Envoy answers "no route" (404) with no body at all. Envoy also stamps `server: envoy` on
    // what it proxies, so an application's own empty 404 is told apart by the header Envoy adds
    // only to proxied responses.
    id: 'envoy-no-route',
    vendor: 'Envoy',
    shape: 'empty',
    maxLength: 0,
    supportingHeaders: [SERVER_ENVOY],
    match: (candidate) =>
      candidate.status === 404 && hasHeader(candidate, 'server', SERVER_ENVOY.pattern) && candidate.headers['x-envoy-upstream-service-time'] === undefined
        ? { vendor: 'Envoy', page: 'empty 404 (no route)', signals: ['body: empty with status 404, no x-envoy-upstream-service-time (a local reply)'] }
        : undefined,
  },
  {
    id: 'traefik-proxy-error',
    vendor: 'Traefik',
    shape: 'text',
    maxLength: 32,
    needle: 'Gateway',
    match: (candidate) => {
      const m = TRAEFIK_PROXY_ERROR.exec(candidate.text);
      if (!m || hasApplicationMarkers(candidate)) return undefined;
      return { vendor: 'Traefik', page: m[1] ?? '', signals: [`body: exactly "${m[1] ?? ''}" (Go http.StatusText, as Traefik's proxy error handler writes it)`] };
    },
  },
  {
    id: 'traefik-no-available-server',
    vendor: 'Traefik',
    shape: 'text',
    maxLength: 32,
    needle: 'no available server',
    match: ({ text }) => (TRAEFIK_NO_SERVER.test(text) ? { vendor: 'Traefik', page: 'no available server', signals: ['body: exactly "no available server"'] } : undefined),
  },
  {
    id: 'go-default-text',
    vendor: 'Traefik or another Go server',
    shape: 'text',
    maxLength: 32,
    match: (candidate) => {
      const m = GO_DEFAULT_TEXT.exec(candidate.text);
      if (!m || hasApplicationMarkers(candidate)) return undefined;
      return { vendor: 'Traefik or another Go server', page: m[1] ?? '', signals: [`body: exactly "${m[1] ?? ''}" (Go net/http default text)`] };
    },
  },
  {
    id: 'caddy-empty',
    vendor: 'Caddy',
    shape: 'empty',
    maxLength: 0,
    match: (candidate) =>
      GATEWAY_STATUSES.has(candidate.status) && hasHeader(candidate, 'server', /^caddy\b/i)
        ? { vendor: 'Caddy', page: `empty ${candidate.status}`, signals: [`body: empty with status ${candidate.status}`, `server: ${candidate.headers['server'] ?? ''}`] }
        : undefined,
  },
  {
    // Classic ELB sends "503 Service Unavailable: Back-end server is at capacity" (and 502/504)
    // with no body and no headers but Content-Length and Connection: nothing else marks it.
    id: 'aws-elb-classic-empty',
    vendor: 'AWS ELB (classic)',
    shape: 'empty',
    maxLength: 0,
    match: (candidate) => {
      if (!GATEWAY_STATUSES.has(candidate.status)) return undefined;
      const names = Object.keys(candidate.headers);
      const bare = names.length > 0 && names.every((name) => name === 'content-length' || name === 'connection') && candidate.headers['content-length'] === '0';
      return bare
        ? { vendor: 'AWS ELB (classic)', page: `empty ${candidate.status}`, signals: [`body: empty with status ${candidate.status}`, `headers: only ${names.join(', ')} (no server, no date)`] }
        : undefined;
    },
  },
  {
    id: 'apache-canned-error',
    vendor: 'Apache httpd',
    shape: 'html',
    maxLength: 2048,
    needle: 'DOCTYPE HTML PUBLIC "-//',
    supportingHeaders: [SERVER_APACHE],
    match: ({ text }) => {
      const m = APACHE_CANNED.exec(text);
      if (!m || CHALLENGE_STATUSES.has(m[1] ?? '')) return undefined;
      const signals = [`body: Apache error page <title>${m[1]} ${m[2]}</title>`];
      const reason = APACHE_PROXY_REASON.exec(m[4] ?? '');
      if (reason) signals.push(`body: Reason: ${quote(reason[1] ?? '', 100)}`);
      if (m[5] !== undefined) signals.push(`body: <address>${quote(m[5], 100)}</address>`);
      return { vendor: 'Apache httpd', page: `${m[1]} ${m[2]}`, signals };
    },
  },
  {
    id: 'apache-distro-default-page',
    vendor: 'Apache httpd',
    shape: 'html',
    maxLength: ERROR_PAGE_MAX_BODY_LENGTH,
    needle: 'Default Page: It works</title>',
    supportingHeaders: [SERVER_APACHE],
    match: ({ text }) => {
      const m = APACHE_DISTRO_DEFAULT.exec(text);
      if (!m || !text.includes('default welcome page used to test the correct')) return undefined;
      return { vendor: 'Apache httpd', page: 'default welcome page', signals: [`body: <title>Apache2 ${m[1] ?? ''} Default Page: It works</title>`] };
    },
  },
  {
    id: 'apache-it-works',
    vendor: 'Apache httpd',
    shape: 'html',
    maxLength: 128,
    needle: '<h1>It works!</h1>',
    supportingHeaders: [SERVER_APACHE],
    match: ({ text }) =>
      APACHE_IT_WORKS.test(text) ? { vendor: 'Apache httpd', page: 'default welcome page', signals: ['body: exactly <html><body><h1>It works!</h1></body></html>'] } : undefined,
  },
  {
    id: 'iis-custom-error',
    vendor: 'IIS',
    shape: 'html',
    maxLength: 4096,
    needle: 'Server Error</h1></div>',
    supportingHeaders: [SERVER_IIS, { name: 'x-powered-by', pattern: /^asp\.net/i }],
    match: ({ text }) => {
      const m = IIS_CUSTERR.exec(text);
      if (!m) return undefined;
      const description = m[2] ?? '';
      const vendor = /acting as a gateway or proxy/i.test(description) ? 'IIS ARR' : 'IIS';
      return { vendor, page: `${m[1]} - ${quote(description.replace(/\.$/, ''), 100)}`, signals: [`body: IIS "Server Error" page <h2>${m[1]} - ${quote(description, 100)}</h2>`] };
    },
  },
  {
    id: 'iis-http-sys',
    vendor: 'IIS (HTTP.sys)',
    shape: 'html',
    maxLength: 1024,
    needle: 'HTTP Error ',
    supportingHeaders: [SERVER_IIS],
    match: ({ text }) => {
      const m = IIS_HTTP_SYS.exec(text);
      return m ? { vendor: 'IIS (HTTP.sys)', page: (m[1] ?? '').replace(/\.$/, ''), signals: [`body: HTTP.sys page "${m[1] ?? ''}"`] } : undefined;
    },
  },
  {
    id: 'iis-detailed-error',
    vendor: 'IIS',
    shape: 'html',
    maxLength: ERROR_PAGE_MAX_BODY_LENGTH,
    needle: 'Detailed Error - ',
    supportingHeaders: [SERVER_IIS, { name: 'x-powered-by', pattern: /^asp\.net/i }],
    match: ({ text }) => {
      const m = IIS_DETAILED_TITLE.exec(text);
      if (!m || !text.includes(`<h3>HTTP Error ${m[2] ?? ''} - `)) return undefined;
      const page = `HTTP Error ${m[2] ?? ''} - ${m[3] ?? ''}`;
      return { vendor: 'IIS', page, signals: [`body: <title>IIS ${m[1] ?? ''} Detailed Error - ${m[2] ?? ''} - ${m[3] ?? ''}</title>`] };
    },
  },
  {
    id: 'cloudflare-error-page',
    vendor: 'Cloudflare',
    shape: 'html',
    maxLength: ERROR_PAGE_MAX_BODY_LENGTH,
    needle: 'Ray ID: <strong',
    supportingHeaders: [SERVER_CLOUDFLARE, CF_RAY],
    match: ({ text }) => {
      if (!text.includes('<div id="cf-wrapper">')) return undefined;
      const code = CLOUDFLARE_ERROR_CODE.exec(text);
      const ray = CLOUDFLARE_RAY.exec(text);
      if (!code || !ray) return undefined;
      const number = code[1] ?? code[2] ?? '';
      const description = CLOUDFLARE_TITLE_DESCRIPTION.exec(text)?.[1];
      return {
        vendor: 'Cloudflare',
        page: description ? `Error ${number}: ${quote(description, 80)}` : `Error ${number}`,
        signals: [`body: Cloudflare error page (cf-error-details), error code ${number}`, `body: Cloudflare Ray ID ${ray[1] ?? ''}`],
      };
    },
  },
  {
    id: 'cloudflare-error-code-text',
    vendor: 'Cloudflare',
    shape: 'text',
    maxLength: 32,
    needle: 'error code: ',
    supportingHeaders: [CF_RAY],
    match: (candidate) => {
      const m = CLOUDFLARE_ERROR_CODE_TEXT.exec(candidate.text);
      // The text alone is too plain: Cloudflare must have said it.
      if (!m || !hasHeader(candidate, 'server', SERVER_CLOUDFLARE.pattern)) return undefined;
      return { vendor: 'Cloudflare', page: `Error ${m[1] ?? ''}`, signals: [`body: exactly "error code: ${m[1] ?? ''}"`, `server: ${candidate.headers['server'] ?? ''}`] };
    },
  },
  {
    id: 'akamai-reference-page',
    vendor: 'Akamai',
    shape: 'html',
    maxLength: 2048,
    needle: 'Reference&#32;&#35;',
    supportingHeaders: [SERVER_AKAMAI],
    match: ({ text }) => {
      const m = AKAMAI_PAGE.exec(text);
      const reference = m ? AKAMAI_REFERENCE.exec(m[2] ?? '') : null;
      if (!m || !reference) return undefined;
      const title = quote(m[1] ?? '', 60);
      const page = /^error$/i.test(title) && (m[2] ?? '').includes(AKAMAI_PROCESSING_ERROR) ? 'An error occurred while processing your request' : title;
      return { vendor: 'Akamai', page, signals: [`body: <TITLE>${title}</TITLE>`, `body: Akamai "Reference #${decodeEntities(reference[1] ?? '')}"`] };
    },
  },
  {
    id: 'akamai-processing-error',
    vendor: 'Akamai',
    shape: 'html',
    maxLength: 1024,
    needle: AKAMAI_PROCESSING_ERROR,
    supportingHeaders: [SERVER_AKAMAI],
    match: ({ text }) => {
      const m = AKAMAI_PAGE.exec(text);
      if (!m || !/^error$/i.test(m[1] ?? '') || !/^\s*An error occurred while processing your request\.<p>\s*$/i.test(m[2] ?? '')) return undefined;
      return { vendor: 'Akamai', page: 'An error occurred while processing your request', signals: ['body: <TITLE>Error</TITLE> "An error occurred while processing your request."'] };
    },
  },
  {
    id: 'google-front-end-error',
    vendor: 'Google Front End',
    shape: 'html',
    maxLength: 4096,
    needle: '.</b> <ins>That',
    supportingHeaders: [SERVER_GFE],
    match: ({ text }) => {
      const title = GFE_TITLE.exec(text);
      const body = GFE_THATS_AN_ERROR.exec(text);
      if (!title || !body || title[1] !== body[1]) return undefined;
      return { vendor: 'Google Front End', page: `Error ${title[1] ?? ''} (${title[2] ?? ''})`, signals: [`body: <title>Error ${title[1] ?? ''} (${title[2] ?? ''})!!1</title>`, 'body: "That’s an error."'] };
    },
  },
  // Captured from the software by scripts/capture-error-pages.sh (Squid, Traffic Server, tinyproxy,
  // lighttpd, nghttpx, H2O), each in its stock configuration with the origin down.
  {
    id: 'squid-error-page',
    vendor: 'Squid',
    shape: 'html',
    maxLength: 8192,
    needle: '(squid',
    supportingHeaders: [
      { name: 'server', pattern: /^squid\b/i },
      { name: 'x-squid-error', pattern: /^ERR_/ },
      { name: 'via', pattern: /\(squid\b/i },
    ],
    match: ({ text }) => {
      if (!SQUID_HEAD.test(text)) return undefined;
      const footer = SQUID_FOOTER.exec(text.slice(-700));
      const body = footer ? SQUID_BODY.exec(text) : null;
      if (!footer || !body || body[1] !== footer[2] || SQUID_CHALLENGES.has(body[1] ?? '')) return undefined;
      const code = body[1] ?? '';
      const signals = [`body: Squid error page ${code} (<body id=${code}> … <!-- ${code} -->)`];
      const error = SQUID_ERROR_LINE.exec(text);
      if (error) signals.push(`body: "${quote(decodeEntities(error[1] ?? ''), 100)}"`);
      signals.push(`body: footer "(${footer[1] ?? ''})"`);
      return { vendor: 'Squid', page: code, signals };
    },
  },
  {
    id: 'trafficserver-body-factory',
    vendor: 'Apache Traffic Server',
    shape: 'html',
    maxLength: 2048,
    needle: 'FACE="Helvetica,Arial"><B>',
    supportingHeaders: [{ name: 'server', pattern: /^ATS\//i }],
    match: ({ text }) => {
      const m = ATS_BODY_FACTORY.exec(text);
      if (!m || m[1] !== m[2] || ATS_NOT_FAILURES.has(m[1] ?? '')) return undefined;
      return {
        vendor: 'Apache Traffic Server',
        page: m[1] ?? '',
        signals: [`body: Traffic Server body_factory page <H1>${m[1] ?? ''}</H1>`, `body: "Description: ${quote(m[3] ?? '', 100)}"`],
      };
    },
  },
  {
    id: 'tinyproxy-default-html',
    vendor: 'tinyproxy',
    shape: 'html',
    maxLength: 2048,
    needle: 'Generated by <a href="',
    supportingHeaders: [{ name: 'server', pattern: /^tinyproxy\b/i }],
    match: ({ text }) => {
      const m = TINYPROXY_DEFAULT_HTML.exec(text);
      if (!m || m[2] !== m[3] || CHALLENGE_STATUSES.has(m[1] ?? '')) return undefined;
      return {
        vendor: 'tinyproxy',
        page: `${m[1] ?? ''} ${m[2] ?? ''}`,
        signals: [`body: tinyproxy error page <h1>${m[2] ?? ''}</h1> "${quote(m[4] ?? '', 100)}"`, `body: "Generated by tinyproxy version ${m[5] ?? ''}."`],
      };
    },
  },
  {
    id: 'lighttpd-error-page',
    vendor: 'lighttpd',
    shape: 'html',
    maxLength: 512,
    needle: '<?xml version="1.0" encoding="iso-8859-1"?>',
    supportingHeaders: [{ name: 'server', pattern: /^lighttpd\b/i }],
    match: ({ text }) => {
      const m = LIGHTTPD_ERROR.exec(text);
      if (!m || m[1] !== m[3] || m[2] !== m[4] || CHALLENGE_STATUSES.has(m[1] ?? '')) return undefined;
      const page = `${m[1] ?? ''} ${m[2] ?? ''}`;
      return { vendor: 'lighttpd', page, signals: [`body: lighttpd error page <h1>${page}</h1> (its XHTML template)`] };
    },
  },
  {
    id: 'nghttpx-error-page',
    vendor: 'nghttpx',
    shape: 'html',
    maxLength: 512,
    needle: '</h1><footer>',
    supportingHeaders: [{ name: 'server', pattern: /^nghttpx\b/i }],
    match: ({ text }) => {
      const m = NGHTTPX_ERROR.exec(text);
      if (!m || m[1] !== m[3] || m[2] !== m[4] || CHALLENGE_STATUSES.has(m[1] ?? '')) return undefined;
      const page = `${m[1] ?? ''} ${m[2] ?? ''}`;
      return { vendor: 'nghttpx', page, signals: [`body: nghttpx error page <h1>${page}</h1>`, `body: <footer>${quote(m[5] ?? '', 60)}</footer>`] };
    },
  },
  {
    // The body alone is a short phrase an application could send too: H2O's Server header and the
    // exact content type of `h2o_send_error_*` must agree, and no framework marker may be present.
    id: 'h2o-proxy-error',
    vendor: 'H2O',
    shape: 'text',
    maxLength: 64,
    match: (candidate) => {
      const m = H2O_PROXY_ERROR.exec(candidate.text);
      if (!m || !hasHeader(candidate, 'server', /^h2o\b/i) || candidate.headers['content-type'] !== 'text/plain; charset=utf-8' || hasApplicationMarkers(candidate)) {
        return undefined;
      }
      return { vendor: 'H2O', page: `Gateway Error: ${m[1] ?? ''}`, signals: [`body: exactly "${m[1] ?? ''}" (H2O's proxy error text)`, `server: ${candidate.headers['server'] ?? ''}`] };
    },
  },
];

/**
 * Throughput of `recogniseErrorPage` on HTML bodies: every HTML response goes through the whole
 * table (a needle search per entry) before it is judged not to be a proxy's page, so the cost that
 * matters is the healthy page's. Prints figures; asserts nothing. Run after `npx tsc -b libs/checks`:
 * `node libs/checks/dist/detectors/error-page/recognise-error-page.bench.js`.
 */
import { recogniseErrorPage, type ErrorPageResponse } from './recognise-error-page';

const APP_PAGE = `<!doctype html>
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
`;

/** A 12 KB listing: below the 16 KiB limit, so every entry's needle is searched in all of it. */
function listingPage(): string {
  const rows: string[] = [];
  for (let i = 0; rows.join('').length < 12_000; i++) {
    rows.push(`<li class="product"><a href="/p/${1000 + i}"><img src="/img/${1000 + i}.webp" alt="Product ${i}"></a><span class="price">€${(i * 3.7).toFixed(2)}</span></li>\n`);
  }
  return `<!DOCTYPE html><html><head><title>Catalogue</title></head><body><ul>\n${rows.join('')}</ul></body></html>\n`;
}

const NGINX_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n';

const CASES: Array<[string, ErrorPageResponse]> = [
  ['healthy application page (1 KB HTML)', { status: 200, headers: { server: 'nginx/1.22.1', 'content-type': 'text/html' }, body: APP_PAGE }],
  ['healthy listing page (12 KB HTML)', { status: 200, headers: { server: 'nginx/1.22.1', 'content-type': 'text/html' }, body: listingPage() }],
  ["nginx's 502 page (recognised)", { status: 502, headers: { server: 'nginx/1.22.1', 'content-type': 'text/html' }, body: NGINX_502 }],
];

function measure(name: string, response: ErrorPageResponse, seconds = 1): void {
  for (let i = 0; i < 5_000; i++) recogniseErrorPage(response); // warm up the JIT
  let count = 0;
  const started = process.hrtime.bigint();
  const budget = BigInt(seconds * 1e9);
  while (process.hrtime.bigint() - started < budget) {
    for (let i = 0; i < 500; i++) recogniseErrorPage(response);
    count += 500;
  }
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const rate = Math.round(count / elapsed).toLocaleString('en-US');
  console.log(`${name.padEnd(40)} ${rate.padStart(10)} recognitions/s  ${((elapsed / count) * 1e6).toFixed(1).padStart(6)} µs each`);
}

console.log(`recogniseErrorPage() on HTML bodies, one core (node ${process.version})`);
for (const [name, response] of CASES) measure(name, response);

import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { STATUS_PAGE_SLUG_PATTERN, type PublicStatusPage } from '@crosscheck/contract';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Public } from '../auth/public.decorator';
import { notFound, PROBLEM_CONTENT_TYPE } from '../http/problem';
import { schemaRef } from '../openapi/schema-ref';
import { acceptsGzip, PublicBodies, type EncodedBody } from './public-bodies';
import { PublicStatusPages } from './public-status-pages.service';
import { renderNotFoundHtml, renderStatusPageHtml, STATUS_PAGE_CSP } from './status-page-html';

/** Short and public: every visitor during an outage may share one copy, for at most this long. */
const PUBLIC_CACHE_CONTROL = 'public, max-age=30';

/** The same for every unknown slug. */
const NOT_FOUND_HTML = renderNotFoundHtml();

const SLUG_PARAM = { name: 'slug', example: 'acme', description: 'The page’s slug (1-63 of a-z, 0-9 and "-")' };

/**
 * The public status pages, without a token (rate limited per client address like every route):
 * `/status/{slug}` for people (HTML, no JavaScript) and `/status/{slug}.json` for programs. They
 * show what a customer should see (names, states in words, uptime, incidents) and never a target
 * URL, an address, a header, evidence or an id. Bodies are gzipped for clients that take it.
 */
@ApiTags('status pages')
@Public()
@Controller('status')
export class PublicStatusController {
  private readonly bodies = new PublicBodies();

  constructor(@Inject(PublicStatusPages) private readonly pages: PublicStatusPages) {}

  // Declared before `:slug`, which would match `acme.json` too.
  @Get(':slug.json')
  @ApiOperation({
    summary: 'A public status page as JSON: each monitor’s state in words, 90 daily uptime figures, the 90-day uptime, open and past incidents',
    description: `No token needed. \`Cache-Control: ${PUBLIC_CACHE_CONTROL}\`. Shows no target URL, address, header, evidence or monitor id.`,
  })
  @ApiParam(SLUG_PARAM)
  @ApiResponse({ status: 200, schema: schemaRef('PublicStatusPage') })
  @ApiResponse({ status: 404, description: 'No page has this slug', schema: schemaRef('Problem') })
  async json(@Param('slug') slug: string, @Req() request: IncomingMessage, @Res() response: ServerResponse): Promise<void> {
    const view = await this.find(slug);
    const body = await this.bodies.of(view, 'json', () => JSON.stringify(view));
    response.setHeader('Cache-Control', PUBLIC_CACHE_CONTROL);
    response.setHeader('Content-Type', 'application/json; charset=utf-8');
    response.setHeader('X-Content-Type-Options', 'nosniff');
    // Public data, for status widgets on other sites.
    response.setHeader('Access-Control-Allow-Origin', '*');
    send(request, response, body);
  }

  @Get(':slug')
  @ApiOperation({
    summary: 'A public status page for people (HTML that works without JavaScript)',
    description:
      `No token needed. \`Cache-Control: ${PUBLIC_CACHE_CONTROL}\`. An unknown slug answers 404: an HTML page to a client that accepts \`text/html\` ` +
      '(a browser), a problem to anything else.',
  })
  @ApiParam(SLUG_PARAM)
  @ApiResponse({ status: 200, description: 'The page', content: { 'text/html': { schema: schemaRef('StatusPageHtml') } } })
  @ApiResponse({
    status: 404,
    description: 'No page has this slug',
    content: { [PROBLEM_CONTENT_TYPE]: { schema: schemaRef('Problem') }, 'text/html': { schema: schemaRef('StatusPageHtml') } },
  })
  async html(@Param('slug') slug: string, @Req() request: IncomingMessage, @Res() response: ServerResponse): Promise<void> {
    const view = STATUS_PAGE_SLUG_PATTERN.test(slug) ? await this.pages.view(slug) : null;
    if (view === null && !acceptsHtml(request)) throw notFound(`no status page at ${slug}`);
    response.setHeader('Content-Security-Policy', STATUS_PAGE_CSP);
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Referrer-Policy', 'no-referrer');
    response.setHeader('Content-Type', 'text/html; charset=utf-8');
    if (view === null) {
      response.statusCode = 404;
      response.setHeader('Cache-Control', 'no-store');
      response.end(NOT_FOUND_HTML);
      return;
    }
    response.setHeader('Cache-Control', PUBLIC_CACHE_CONTROL);
    send(request, response, await this.bodies.of(view, 'html', () => renderStatusPageHtml(view)));
  }

  private async find(slug: string): Promise<PublicStatusPage> {
    const view = STATUS_PAGE_SLUG_PATTERN.test(slug) ? await this.pages.view(slug) : null;
    if (view === null) throw notFound(`no status page at ${slug}`);
    return view;
  }
}

/**
 * Ends the answer with the body as the client takes it: gzipped when it says it can (caches keep
 * one copy per encoding). Written here, not handed back to Nest, which would serialize a buffer as JSON.
 */
function send(request: IncomingMessage, response: ServerResponse, body: EncodedBody): void {
  const bytes = acceptsGzip(request) ? body.gzip : body.identity;
  response.setHeader('Vary', 'Accept-Encoding');
  if (bytes === body.gzip) response.setHeader('Content-Encoding', 'gzip');
  response.setHeader('Content-Length', String(bytes.length));
  response.end(request.method === 'HEAD' ? undefined : bytes);
}

/** Whether the client named HTML among what it accepts (a browser does; curl and API clients do not). */
function acceptsHtml(request: IncomingMessage): boolean {
  return /(^|,)\s*text\/html\s*(;|,|$)/i.test(request.headers.accept ?? '');
}

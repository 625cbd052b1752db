import { useEffect, useState } from 'preact/hooks';
import { call } from '../api/api-client';
import type { ChannelPreviewView, ChannelType } from '../api/api-types';
import { ErrorNotice } from '../components/error-notice';
import { CHANNEL_TYPE_WORDS } from '../words/channel-words';
import { readTeamsMessage } from './adaptive-card';
import { AdaptiveCardView } from './adaptive-card-view';
import { readSlackMessage } from './block-kit';
import { BlockKitView } from './block-kit-view';
import { prettyJson } from './json-value';
import { readEmail, readPagerDutyEvent } from './other-payloads';

/** The sample events a preview can render. */
const PREVIEW_EVENTS = [
  { id: 'incident.opened', label: 'Incident opened (a masked outage)' },
  { id: 'incident.resolved', label: 'Incident resolved' },
] as const;
type PreviewEvent = (typeof PREVIEW_EVENTS)[number]['id'];

type Loaded = { state: 'loading' } | { state: 'shown'; preview: ChannelPreviewView } | { state: 'failed'; error: unknown };

/**
 * What a channel would be sent for a sample masked outage (`POST /v1/channels/{id}/preview`), drawn
 * as the receiving tool shows it (Slack's blocks, a Teams card, the mail with its HTML in a sandboxed
 * frame, PagerDuty's event in one line), with the exact JSON beside it.
 */
export function ChannelPreview({ base, type }: { base: string; type: ChannelType }) {
  const [event, setEvent] = useState<PreviewEvent>('incident.opened');
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  useEffect(() => {
    const controller = new AbortController();
    setLoaded({ state: 'loading' });
    call<ChannelPreviewView>('POST', `${base}/preview`, { body: { event }, signal: controller.signal }).then(
      (answer) => setLoaded({ state: 'shown', preview: answer.body }),
      (error: unknown) => {
        if (!controller.signal.aborted) setLoaded({ state: 'failed', error });
      },
    );
    return () => controller.abort();
  }, [base, event]);

  return (
    <section aria-labelledby="preview-heading" class="channel-preview">
      <h2 id="preview-heading">Preview</h2>
      <p class="muted small">Exactly the body this channel would be sent for a sample event; nothing is sent.</p>
      <div class="field inline">
        <label for="preview-event">Event</label>
        <select id="preview-event" value={event} onChange={(change) => setEvent(change.currentTarget.value as PreviewEvent)}>
          {PREVIEW_EVENTS.map((option) => (
            <option key={option.id} value={option.id}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      <div aria-live="polite" aria-busy={loaded.state === 'loading'}>
        {loaded.state === 'loading' && <p>Rendering…</p>}
        {loaded.state === 'failed' && <ErrorNotice error={loaded.error} />}
        {loaded.state === 'shown' && <Rendering preview={loaded.preview} type={type} />}
      </div>
    </section>
  );
}

function Rendering({ preview, type }: { preview: ChannelPreviewView; type: ChannelType }) {
  const words = CHANNEL_TYPE_WORDS[preview.type] ?? CHANNEL_TYPE_WORDS[type];
  const caption = `${words.label}: ${preview.event}`;
  return (
    <figure class="preview-figure" data-preview-type={preview.type} data-preview-event={preview.event}>
      <figcaption class="muted small">{caption}</figcaption>
      <Drawn preview={preview} />
    </figure>
  );
}

/** The payload as its tool shows it, and the JSON; a payload that is not what its type sends says so. */
function Drawn({ preview }: { preview: ChannelPreviewView }) {
  const json = <RawJson payload={preview.payload} open={preview.type === 'pagerduty' || preview.type === 'webhook'} />;
  try {
    switch (preview.type) {
      case 'slack': {
        const message = readSlackMessage(preview.payload);
        return (
          <>
            <BlockKitView message={message} appName="Crosscheck" />
            {message.text && (
              <p class="small">
                <span class="muted">Notification text: </span>
                {message.text.raw}
              </p>
            )}
            <OverLimits problems={message.overLimits} />
            {json}
          </>
        );
      }
      case 'teams':
        return (
          <>
            <AdaptiveCardView card={readTeamsMessage(preview.payload)} />
            {json}
          </>
        );
      case 'pagerduty': {
        const event = readPagerDutyEvent(preview.payload);
        return (
          <>
            <p class="pagerduty-line">
              <strong>{event.action ?? 'no event_action'}</strong> · severity {event.severity ?? '—'} · dedup_key <code class="break">{event.dedupKey ?? '—'}</code>
              {event.source ? ` · source ${event.source}` : ''}
            </p>
            {event.summary && <p class="reason">{event.summary}</p>}
            {json}
          </>
        );
      }
      case 'email': {
        const mail = readEmail(preview.payload);
        return (
          <>
            <dl class="facts">
              <div>
                <dt>Subject</dt>
                <dd>{mail.subject ?? '—'}</dd>
              </div>
              {mail.headers.map(([name, value]) => (
                <div key={name}>
                  <dt>{name}</dt>
                  <dd>
                    <code class="break">{value}</code>
                  </dd>
                </div>
              ))}
            </dl>
            <h3>Plain text</h3>
            <pre class="json">{mail.text ?? '(none)'}</pre>
            <h3>HTML</h3>
            <p class="muted small">As a mail client draws it, but for its inline styles: the dashboard's Content Security Policy keeps them out of this frame.</p>
            {/* sandbox="": no script, no form, no navigation of the page, an origin of its own; the HTML is never parsed into this document. */}
            {mail.html !== null ? <iframe class="email-frame" title={`The HTML of the mail “${mail.subject ?? ''}”`} sandbox="" srcdoc={mail.html} /> : <p class="muted">(none)</p>}
            {json}
          </>
        );
      }
      case 'webhook':
        return json;
    }
    return json;
  } catch (error) {
    return (
      <>
        <ErrorNotice error={error} />
        {json}
      </>
    );
  }
}

function OverLimits({ problems }: { problems: readonly string[] }) {
  if (problems.length === 0) return null;
  return (
    <div class="notice notice-error" role="alert">
      <p>
        <span aria-hidden="true">✕ </span>Slack would refuse this message: it goes over Block Kit's limits.
      </p>
      <ul>
        {problems.map((problem) => (
          <li key={problem}>{problem}</li>
        ))}
      </ul>
    </div>
  );
}

function RawJson({ payload, open }: { payload: unknown; open: boolean }) {
  return (
    <details class="raw-json" open={open}>
      <summary>The JSON</summary>
      <pre class="json">
        <code>{prettyJson(payload)}</code>
      </pre>
    </details>
  );
}

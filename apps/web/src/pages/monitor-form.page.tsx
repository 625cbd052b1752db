import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { call, get } from '../api/api-client';
import { ApiError, describeError } from '../api/api-error';
import type { FieldIssue, MonitorView, RegionListView } from '../api/api-types';
import { ErrorNotice } from '../components/error-notice';
import { PageTitle } from '../components/page-title';
import { usePoll } from '../live/use-poll';
import { links } from '../routing/routes';
import { navigate } from '../routing/use-route';
import { bodyOfForm, emptyForm, fieldOfIssue, formOfMonitor, issuesByField, type FormField, type FormValues } from './monitor-form';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** What the last submit came to. */
type Verdict = { kind: 'refused'; error: ApiError; issues: FieldIssue[] } | { kind: 'failed'; error: unknown } | { kind: 'valid'; text: string } | null;

/**
 * Create a monitor, or edit one (GET, change, PUT with `If-Match`: what the form does not show is
 * kept). The API validates; its 400's field issues are shown next to the fields they name, and
 * listed at the top with a way to each field.
 */
export function MonitorFormPage({ id }: { id?: string }) {
  const editing = id !== undefined;
  const existing = usePoll((signal) => (id ? get<MonitorView>(`v1/monitors/${encodeURIComponent(id)}`, signal) : Promise.resolve(null)), 0, [id]);
  const known = usePoll((signal) => get<RegionListView>('v1/regions', signal), 0, []);
  const [values, setValues] = useState<FormValues>(emptyForm);
  const [loadedRevision, setLoadedRevision] = useState<number | null>(null);
  const [verdict, setVerdict] = useState<Verdict>(null);
  const [advancedError, setAdvancedError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const summary = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (existing.data && loadedRevision !== existing.data.revision) {
      setValues(formOfMonitor(existing.data));
      setLoadedRevision(existing.data.revision);
    }
  }, [existing.data, loadedRevision]);
  useEffect(() => {
    if (verdict?.kind === 'refused' || verdict?.kind === 'failed') summary.current?.focus();
  }, [verdict]);

  const issues = verdict?.kind === 'refused' ? issuesByField(verdict.issues) : {};
  if (advancedError) issues.advanced = [...(issues.advanced ?? []), `Advanced ${advancedError}`];
  const set = (field: FormField) => (event: { currentTarget: { value: string } }) => setValues((previous) => ({ ...previous, [field]: event.currentTarget.value }));

  const submit = async (dryRun: boolean): Promise<void> => {
    const built = bodyOfForm(values, existing.data ?? undefined);
    setVerdict(null);
    if ('advancedError' in built) {
      setAdvancedError(built.advancedError);
      document.getElementById('field-advanced')?.focus();
      return;
    }
    setAdvancedError(null);
    setBusy(true);
    try {
      const path = editing ? `v1/monitors/${encodeURIComponent(id)}` : 'v1/monitors';
      const headers: Record<string, string> = editing && existing.data ? { 'if-match': `"${existing.data.revision}"` } : {};
      const answer = await call<MonitorView | { dryRun: true; changes: unknown[] }>(editing ? 'PUT' : 'POST', `${path}${dryRun ? '?dryRun=true' : ''}`, { body: built.body, headers });
      if ('dryRun' in answer.body) {
        setVerdict({ kind: 'valid', text: `The API accepts this monitor (${answer.body.changes.length} field${answer.body.changes.length === 1 ? '' : 's'} ${editing ? 'would change' : 'set'}); nothing was saved.` });
      } else {
        navigate(links.monitor(answer.body.id));
      }
    } catch (error) {
      if (error instanceof ApiError && error.status === 400) setVerdict({ kind: 'refused', error, issues: error.issues });
      else setVerdict({ kind: 'failed', error });
    } finally {
      setBusy(false);
    }
  };

  const remove = async (): Promise<void> => {
    if (!id || !existing.data || !confirm(`Delete the monitor "${existing.data.name}"? Its schedule stops and its open incident resolves.`)) return;
    setBusy(true);
    try {
      await call('DELETE', `v1/monitors/${encodeURIComponent(id)}`, { headers: { 'if-match': `"${existing.data.revision}"` } });
      navigate(links.monitors());
    } catch (error) {
      setVerdict({ kind: 'failed', error });
    } finally {
      setBusy(false);
    }
  };

  const title = editing ? `Edit ${existing.data?.name ?? 'monitor'}` : 'New monitor';
  const regionNames = known.data?.items.map((region) => region.name) ?? [];

  return (
    <>
      <nav aria-label="Breadcrumb" class="breadcrumb">
        <a href={links.monitors()}>Monitors</a> <span aria-hidden="true">›</span>{' '}
        {editing && existing.data ? (
          <>
            <a href={links.monitor(existing.data.id)}>{existing.data.name}</a> <span aria-hidden="true">›</span>{' '}
          </>
        ) : null}
        <span aria-current="page">{editing ? 'Edit' : 'New monitor'}</span>
      </nav>
      <PageTitle title={title} />
      {existing.error !== undefined && <ErrorNotice error={existing.error} />}

      <div ref={summary} tabIndex={-1} aria-live="polite">
        {verdict?.kind === 'refused' && (
          <div class="notice notice-error" role="alert">
            <p>
              <span aria-hidden="true">✕ </span>The API refused the monitor: {verdict.error.problem?.detail ?? describeError(verdict.error)}
            </p>
            <ul>
              {verdict.issues.map((issue) => (
                <li key={`${issue.path}:${issue.message}`}>
                  <button type="button" class="link" onClick={() => document.getElementById(`field-${fieldOfIssue(issue.path)}`)?.focus()}>
                    <code>{issue.path || '(body)'}</code> {issue.message}
                  </button>
                </li>
              ))}
            </ul>
          </div>
        )}
        {verdict?.kind === 'failed' && <ErrorNotice error={verdict.error} />}
        {verdict?.kind === 'valid' && (
          <p class="notice notice-ok" role="status">
            <span aria-hidden="true">✓ </span>
            {verdict.text}
          </p>
        )}
      </div>

      {(!editing || existing.data) && (
        <form
          class="monitor-form"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void submit(false);
          }}
        >
          <fieldset>
            <legend>What to check</legend>
            <Field field="name" label="Name" issues={issues}>
              <input id="field-name" value={values.name} onInput={set('name')} {...invalid('name', issues)} />
            </Field>
            {!editing && (
              <Field field="key" label="Key (optional)" help="A stable name for configuration files: a-z, 0-9, '.', '_', '-'. It never changes." issues={issues}>
                <input id="field-key" value={values.key} onInput={set('key')} autocomplete="off" {...invalid('key', issues)} />
              </Field>
            )}
            <Field field="url" label="URL" help="An absolute http:// or https:// URL." issues={issues}>
              <input id="field-url" type="text" inputMode="url" value={values.url} onInput={set('url')} autocomplete="off" spellcheck={false} {...invalid('url', issues)} />
            </Field>
            <Field field="method" label="Method" issues={issues}>
              <select id="field-method" value={values.method} onChange={set('method')} {...invalid('method', issues)}>
                {METHODS.map((method) => (
                  <option key={method}>{method}</option>
                ))}
              </select>
            </Field>
            <Field field="regions" label="Regions" help={`Comma-separated.${regionNames.length > 0 ? ` Known: ${regionNames.join(', ')}.` : ''}`} issues={issues}>
              <input id="field-regions" value={values.regions} onInput={set('regions')} autocomplete="off" spellcheck={false} {...invalid('regions', issues)} />
            </Field>
            <Field field="intervalSeconds" label="Every (seconds)" issues={issues}>
              <input id="field-intervalSeconds" inputMode="numeric" value={values.intervalSeconds} onInput={set('intervalSeconds')} {...invalid('intervalSeconds', issues)} />
            </Field>
            <Field field="timeoutMs" label="Timeout (ms)" help="Empty: 10000." issues={issues}>
              <input id="field-timeoutMs" inputMode="numeric" value={values.timeoutMs} onInput={set('timeoutMs')} {...invalid('timeoutMs', issues)} />
            </Field>
          </fieldset>
          <fieldset>
            <legend>What healthy means</legend>
            <Field field="expectStatus" label="Expected statuses" help='Comma-separated: 200, "2xx" or "200-299". Empty: any 2xx.' issues={issues}>
              <input id="field-expectStatus" value={values.expectStatus} onInput={set('expectStatus')} autocomplete="off" {...invalid('expectStatus', issues)} />
            </Field>
            <Field field="bodyContains" label="Body contains" help="One text per line; every one must be in the body." issues={issues}>
              <textarea id="field-bodyContains" rows={2} value={values.bodyContains} onInput={set('bodyContains')} {...invalid('bodyContains', issues)} />
            </Field>
            <Field field="degradedMs" label="Degraded above (ms)" help="Empty: 3000." issues={issues}>
              <input id="field-degradedMs" inputMode="numeric" value={values.degradedMs} onInput={set('degradedMs')} {...invalid('degradedMs', issues)} />
            </Field>
            <Field field="cacheBypass" label="Cache-bypassing request" help="A second request with a unique query parameter and no-cache, compared with the first: how a cached 200 hiding an outage is told apart." issues={issues}>
              <select id="field-cacheBypass" value={values.cacheBypass} onChange={set('cacheBypass')} {...invalid('cacheBypass', issues)}>
                <option value="">Default (on for GET and HEAD)</option>
                <option value="on">On</option>
                <option value="off">Off</option>
              </select>
            </Field>
          </fieldset>
          <fieldset>
            <legend>Incidents</legend>
            <Field field="openAfter" label="Open after (rounds)" help="Empty: 2." issues={issues}>
              <input id="field-openAfter" inputMode="numeric" value={values.openAfter} onInput={set('openAfter')} {...invalid('openAfter', issues)} />
            </Field>
            <Field field="resolveAfter" label="Resolve after (rounds)" help="Empty: 2." issues={issues}>
              <input id="field-resolveAfter" inputMode="numeric" value={values.resolveAfter} onInput={set('resolveAfter')} {...invalid('resolveAfter', issues)} />
            </Field>
          </fieldset>
          <fieldset>
            <legend>Advanced</legend>
            <Field
              field="advanced"
              label="More of the monitor, as JSON"
              help={'Merged over the fields above, e.g. {"headers": {"x-probe": "1"}, "expect": {"json": [{"path": "$.status", "op": "equals", "value": "ok"}]}}. Issues the form has no field for show here.'}
              issues={issues}
            >
              <textarea id="field-advanced" rows={4} spellcheck={false} value={values.advanced} onInput={set('advanced')} {...invalid('advanced', issues)} />
            </Field>
          </fieldset>
          <div class="actions">
            <button type="submit" class="primary" disabled={busy}>
              {editing ? 'Save' : 'Create monitor'}
            </button>
            <button type="button" disabled={busy} onClick={() => void submit(true)}>
              Check without saving
            </button>
            <a class="button" href={editing && id ? links.monitor(id) : links.monitors()}>
              Cancel
            </a>
            {editing && (
              <button type="button" class="danger" disabled={busy} onClick={() => void remove()}>
                Delete monitor
              </button>
            )}
          </div>
          <p class="muted small">Creating, saving and deleting need a token with write scope; the API says so when it lacks it.</p>
        </form>
      )}
    </>
  );
}

/** The attributes that tie a control to its messages. */
function invalid(field: FormField, issues: Partial<Record<FormField, string[]>>): { 'aria-invalid': boolean; 'aria-describedby': string } {
  const has = (issues[field]?.length ?? 0) > 0;
  return { 'aria-invalid': has, 'aria-describedby': `${has ? `error-${field} ` : ''}help-${field}` };
}

function Field({ field, label, help, issues, children }: { field: FormField; label: string; help?: string; issues: Partial<Record<FormField, string[]>>; children: ComponentChildren }) {
  const messages = issues[field] ?? [];
  return (
    <div class={`field${messages.length > 0 ? ' field-invalid' : ''}`}>
      <label for={`field-${field}`}>{label}</label>
      {children}
      <p id={`help-${field}`} class="help">
        {help ?? ''}
      </p>
      {messages.length > 0 && (
        <ul id={`error-${field}`} class="field-error">
          {messages.map((message) => (
            <li key={message}>
              <span aria-hidden="true">✕ </span>
              {message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

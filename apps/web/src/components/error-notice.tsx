import type { ComponentChildren } from 'preact';
import { ApiError, describeError } from '../api/api-error';

/**
 * An error shown where the data would be: the API's problem (status, detail, and the fields at
 * fault), announced to screen readers.
 */
export function ErrorNotice({ error, children }: { error: unknown; children?: ComponentChildren }) {
  const issues = error instanceof ApiError ? error.issues : [];
  return (
    <div class="notice notice-error" role="alert">
      <p>
        <span aria-hidden="true">✕ </span>
        {describeError(error)}
      </p>
      {issues.length > 0 && (
        <ul>
          {issues.map((issue) => (
            <li key={`${issue.path}:${issue.message}`}>
              <code>{issue.path || '(body)'}</code> {issue.message}
            </li>
          ))}
        </ul>
      )}
      {children}
    </div>
  );
}

/** A short note for what is not there (yet). */
export function EmptyNote({ children }: { children: ComponentChildren }) {
  return <p class="notice notice-empty">{children}</p>;
}

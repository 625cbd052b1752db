import { isJsonObject, lowerCaseKeys, type JsonObject } from '../../json/json-object';

/** An error found in a JSON body that came with a success status. */
export interface JsonErrorMatch {
  /** `envelope_failure` for a success flag set to false, `soft_error` for an error payload. */
  code: 'soft_error' | 'envelope_failure';
  /** The field that said so, as a JSON path: `$.error`, `$.ok`, `$.errors`. */
  path: string;
  /** The value that said so, for envelope flags and result words (`false`, `"error"`). */
  value?: string | number | boolean;
  /** Errors beside non-null `data` (GraphQL's partial response): the call half worked. */
  partial: boolean;
  /** The body's own explanation (`message`, `error.message`, `errors[0].message`…), up to 200 characters. */
  message?: string;
  /** An error code the body gave, when it gave one (`404`, `"resource_missing"`). */
  errorCode?: string | number;
}


const MAX_MESSAGE_CHARS = 200;

/** Success flags of API envelopes, compared in lower case: Slack `ok`, .NET `isSuccess`/`succeeded`, most others `success`. */
const SUCCESS_FLAGS: ReadonlySet<string> = new Set(['success', 'ok', 'issuccess', 'succeeded', 'successful', 'issuccessful']);
const RESULT_FAILURE_WORDS: ReadonlySet<string> = new Set(['error', 'fail', 'failed', 'failure']);
/** Keys whose non-empty value is an error: `error` (OAuth, Stripe, most APIs) and AWS Lambda's `errorMessage`. */
const ERROR_KEYS = ['error', 'errormessage', 'error_message'];
/** Keys whose mere presence with content means an exception escaped: Apigee/SOAP `fault`, Java and PHP frameworks' `exception`. */
const FAULT_KEYS = ['fault', 'exception'];
/** Keys that carry an HTTP status or error code (NestJS `statusCode`, RFC 7807 `status`). */
const CODE_KEYS = ['code', 'status', 'statuscode', 'status_code', 'httpstatus', 'http_status', 'httpstatuscode', 'httpcode', 'http_code'];
/** Keys that show a body with a 4xx/5xx code is explaining a failure, not describing a thing numbered 404. */
const EXPLANATION_KEYS = ['message', 'msg', 'error', 'errors', 'detail', 'reason', 'error_description', 'errormessage'];
const MESSAGE_KEYS = ['message', 'msg', 'error_description', 'errormessage', 'error_message', 'detail', 'description', 'reason', 'title'];
const INNER_MESSAGE_KEYS = ['message', 'msg', 'faultstring', 'description', 'detail', 'error_description', 'reason', 'title', 'error', 'type'];
const INNER_CODE_KEYS = ['code', 'errorcode', 'error_code', 'status', 'type'];
/** Strings that say "no error" in an error field. */
const NO_ERROR_WORDS: ReadonlySet<string> = new Set(['', 'none', 'null', 'false', '0', 'no', 'ok', 'n/a']);
const JSEND_FAILURE_WORDS: ReadonlySet<string> = new Set(['error', 'fail']);

/**
 * Finds an error in a JSON body by its top-level keys only (and one level inside `error`),
 * so a payload that merely mentions errors deeper down (`{"items": [{"error": …}]}`,
 * `{"error_count": 0}`) is left alone. Lists are never errors. An explicit success flag
 * (`"success": true`) wins over everything else.
 */
export function findJsonError(value: unknown): JsonErrorMatch | undefined {
  if (!isJsonObject(value)) return undefined;
  const keys = lowerCaseKeys(value);
  return envelopeFailure(value, keys) ?? softError(value, keys);
}

function envelopeFailure(doc: JsonObject, keys: ReadonlyMap<string, string>): JsonErrorMatch | undefined {
  for (const [lower, key] of keys) {
    if (!SUCCESS_FLAGS.has(lower) || doc[key] !== false) continue;
    return { code: 'envelope_failure', path: `$.${key}`, value: false, partial: false, ...explanation(doc, keys) };
  }
  const resultKey = keys.get('result');
  const result = resultKey === undefined ? undefined : doc[resultKey];
  if (resultKey !== undefined && typeof result === 'string' && RESULT_FAILURE_WORDS.has(result.toLowerCase())) {
    return { code: 'envelope_failure', path: `$.${resultKey}`, value: result, partial: false, ...explanation(doc, keys) };
  }
  return undefined;
}

function softError(doc: JsonObject, keys: ReadonlyMap<string, string>): JsonErrorMatch | undefined {
  // The API says it succeeded: an `errors` list beside it is warnings, not a failure.
  for (const [lower, key] of keys) if (SUCCESS_FLAGS.has(lower) && doc[key] === true) return undefined;
  const partial = hasData(doc, keys);

  for (const name of ERROR_KEYS) {
    const key = keys.get(name);
    if (key !== undefined && isErrorValue(doc[key])) return match(doc, keys, key, partial, doc[key]);
  }
  const errorsKey = keys.get('errors');
  if (errorsKey !== undefined && isErrorList(doc[errorsKey])) return match(doc, keys, errorsKey, partial, doc[errorsKey]);
  for (const name of FAULT_KEYS) {
    const key = keys.get(name);
    if (key !== undefined && isErrorValue(doc[key])) return match(doc, keys, key, partial, doc[key]);
  }

  // JSend: `{"status": "error", "message": …}` and `{"status": "fail", "data": …}`.
  const statusKey = keys.get('status');
  const status = statusKey === undefined ? undefined : doc[statusKey];
  if (statusKey !== undefined && typeof status === 'string' && JSEND_FAILURE_WORDS.has(status.toLowerCase())) {
    if (keys.has('message') || keys.has('data') || keys.has('code')) {
      return { code: 'soft_error', path: `$.${statusKey}`, value: status, partial: false, ...explanation(doc, keys) };
    }
  }

  // `{"code": 500, "message": …}`, NestJS `{"statusCode": 404, …}`, RFC 7807 `{"status": 503, "detail": …}`.
  if (EXPLANATION_KEYS.some((name) => keys.has(name))) {
    for (const name of CODE_KEYS) {
      const key = keys.get(name);
      const code = key === undefined ? undefined : httpErrorCode(doc[key]);
      if (key !== undefined && code !== undefined) {
        return { code: 'soft_error', path: `$.${key}`, value: code, partial: false, errorCode: code, ...messageOnly(doc, keys) };
      }
    }
  }
  return undefined;
}

function match(doc: JsonObject, keys: ReadonlyMap<string, string>, key: string, partial: boolean, value: unknown): JsonErrorMatch {
  const message = messageIn(value) ?? topLevelMessage(doc, keys);
  const errorCode = codeIn(value) ?? topLevelCode(doc, keys);
  return {
    code: 'soft_error',
    path: `$.${key}`,
    partial,
    ...(message !== undefined ? { message } : {}),
    ...(errorCode !== undefined ? { errorCode } : {}),
  };
}

/** The message and code that accompany an envelope flag: `{"ok": false, "error": "invalid_auth"}`. */
function explanation(doc: JsonObject, keys: ReadonlyMap<string, string>): Pick<JsonErrorMatch, 'message' | 'errorCode'> {
  let message: string | undefined;
  for (const name of [...ERROR_KEYS, 'errors', 'error-type', 'error_type']) {
    const key = keys.get(name);
    if (key !== undefined) message = messageIn(doc[key]);
    if (message !== undefined) break;
  }
  message ??= topLevelMessage(doc, keys);
  const errorKey = keys.get('error');
  const errorCode = (errorKey === undefined ? undefined : codeIn(doc[errorKey])) ?? topLevelCode(doc, keys);
  return { ...(message !== undefined ? { message } : {}), ...(errorCode !== undefined ? { errorCode } : {}) };
}

function messageOnly(doc: JsonObject, keys: ReadonlyMap<string, string>): Pick<JsonErrorMatch, 'message'> {
  let message = topLevelMessage(doc, keys);
  for (const name of ['error', 'errors']) {
    const key = keys.get(name);
    if (message === undefined && key !== undefined) message = messageIn(doc[key]);
  }
  return message !== undefined ? { message } : {};
}

function topLevelMessage(doc: JsonObject, keys: ReadonlyMap<string, string>): string | undefined {
  for (const name of MESSAGE_KEYS) {
    const key = keys.get(name);
    const value = key === undefined ? undefined : doc[key];
    if (typeof value === 'string' && value.trim() !== '') return clip(value.trim());
  }
  return undefined;
}

function topLevelCode(doc: JsonObject, keys: ReadonlyMap<string, string>): string | number | undefined {
  for (const name of ['code', 'errorcode', 'error_code', 'statuscode', 'status_code']) {
    const key = keys.get(name);
    const value = key === undefined ? undefined : doc[key];
    if ((typeof value === 'string' && value !== '') || typeof value === 'number') return value;
  }
  return undefined;
}

/** The text of an error value: the string itself, `error.message`, `errors[0].message`, `fault.faultstring`. */
function messageIn(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : clip(value.trim());
  if (Array.isArray(value)) {
    for (const item of value.slice(0, 3)) {
      const text = messageIn(item);
      if (text !== undefined) return text;
    }
    return undefined;
  }
  if (!isJsonObject(value)) return undefined;
  const keys = lowerCaseKeys(value);
  for (const name of INNER_MESSAGE_KEYS) {
    const key = keys.get(name);
    const inner = key === undefined ? undefined : value[key];
    if (typeof inner === 'string' && inner.trim() !== '') return clip(inner.trim());
  }
  // Validation maps (`{"email": ["is invalid"]}`): the first field and its complaint.
  for (const [key, inner] of Object.entries(value)) {
    const text = typeof inner === 'string' ? inner : Array.isArray(inner) && typeof inner[0] === 'string' ? inner[0] : undefined;
    if (text !== undefined && text.trim() !== '') return clip(`${key}: ${text.trim()}`);
  }
  return undefined;
}

function codeIn(value: unknown): string | number | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  if (!isJsonObject(first)) return undefined;
  const keys = lowerCaseKeys(first);
  for (const name of INNER_CODE_KEYS) {
    const key = keys.get(name);
    const inner = key === undefined ? undefined : first[key];
    if ((typeof inner === 'string' && inner !== '') || typeof inner === 'number') return inner;
  }
  // GraphQL servers (Apollo, Hot Chocolate) put the code in `extensions`.
  const extensionsKey = keys.get('extensions');
  const extensions = extensionsKey === undefined ? undefined : first[extensionsKey];
  return isJsonObject(extensions) ? codeIn(extensions) : undefined;
}

/** A value that holds an error: a non-empty string other than "none", `true`, or an object with some content. */
function isErrorValue(value: unknown): boolean {
  if (typeof value === 'string') return !NO_ERROR_WORDS.has(value.trim().toLowerCase());
  if (value === true) return true;
  if (Array.isArray(value)) return isErrorList(value);
  if (!isJsonObject(value)) return false;
  return Object.values(value).some(
    (inner) => (typeof inner === 'string' && inner.trim() !== '') || (typeof inner === 'number' && inner !== 0) || inner === true,
  );
}

/** `errors` with at least one entry: a list with a non-null item, or a non-empty map. */
function isErrorList(value: unknown): boolean {
  if (Array.isArray(value)) return value.some((item) => item !== null && item !== '');
  return isJsonObject(value) && Object.keys(value).length > 0;
}

/** GraphQL's `data` (and most envelopes'): present and not null means the call returned something. */
function hasData(doc: JsonObject, keys: ReadonlyMap<string, string>): boolean {
  const key = keys.get('data');
  return key !== undefined && doc[key] !== null && doc[key] !== undefined;
}

/** A 4xx or 5xx status, as a number or a three-digit string. */
function httpErrorCode(value: unknown): number | undefined {
  const code = typeof value === 'number' ? value : typeof value === 'string' && /^[45]\d\d$/.test(value) ? Number(value) : NaN;
  return Number.isInteger(code) && code >= 400 && code <= 599 ? code : undefined;
}


function clip(text: string): string {
  return text.length > MAX_MESSAGE_CHARS ? text.slice(0, MAX_MESSAGE_CHARS) : text;
}

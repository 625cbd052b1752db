/**
 * The cost budget of one monitor: every cap the spec's schema and compiler enforce, in one place
 * so the docs, the API's errors and the tests name the same numbers. A monitor within these caps
 * validates in milliseconds, compiles once per change in a bounded time, and its evaluation on
 * the largest body it may read costs a bounded amount of CPU (`npm run bench:evaluate`).
 */

const KiB = 1024;
const MiB = 1024 * KiB;

/** A monitor as JSON (`POST`/`PUT`/`PATCH /v1/monitors` bodies, the spec in a check job), in bytes. */
export const MAX_MONITOR_JSON_BYTES = 64 * KiB;
/** Characters of a monitor's name. */
export const MAX_MONITOR_NAME_LENGTH = 200;
/** Regions one monitor may check from. */
export const MAX_REGIONS_PER_MONITOR = 16;

/** Characters of the monitor's URL. */
export const MAX_URL_LENGTH = 4096;
/** Request headers a monitor sends. */
export const MAX_REQUEST_HEADERS = 64;
/** Bytes of all request headers together (names, values and `": "` + CRLF of each). */
export const MAX_REQUEST_HEADERS_BYTES = 16 * KiB;
/** Bytes of the request body a monitor sends. */
export const MAX_REQUEST_BODY_BYTES = 32 * KiB;
/** Longest deadline of one probe (`timeoutMs`). */
export const MAX_TIMEOUT_MS = 60_000;
/** Largest body a probe reads (`maxBodyBytes`), after decompression. */
export const MAX_BODY_BYTES = 4 * MiB;
/** Largest header block a probe reads (`maxHeaderBytes`). */
export const MAX_HEADER_BYTES = 256 * KiB;
/** Redirects a probe follows (`maxRedirects`). */
export const MAX_REDIRECTS = 20;
/** `host:port:address` overrides (`resolve`). */
export const MAX_RESOLVE_ENTRIES = 32;
/** Bytes of the extra CA certificates (`tls.ca`, PEM). */
export const MAX_TLS_CA_BYTES = 32 * KiB;
/** Certificates in `tls.ca`. */
export const MAX_TLS_CA_CERTIFICATES = 16;

/** Entries of `expect.status`. */
export const MAX_STATUS_ENTRIES = 32;
/** Body assertions: `expect.body.contains`, `notContains`, `matches` and `notMatches` together. */
export const MAX_BODY_ASSERTIONS = 32;
/** Entries of `expect.json`. */
export const MAX_JSON_ASSERTIONS = 32;
/** Entries of `expect.headers`. */
export const MAX_HEADER_ASSERTIONS = 32;
/** Values of a `oneOf` JSON assertion. */
export const MAX_ONE_OF_VALUES = 32;
/**
 * Characters of one regular expression, JSON path, `contains` text or assertion value: what a
 * person writes by hand, and a bound on what each result shows of it.
 */
export const MAX_PATTERN_LENGTH = 512;
/**
 * RE2 instructions of one compiled regular expression. Counted repetitions multiply
 * (`[a-z]{1,1000}` is 2,000 instructions in 13 characters), and compiling and matching cost
 * grows with the program, not the source.
 */
export const MAX_REGEX_PROGRAM_SIZE = 2_000;
/** RE2 instructions of all regular expressions of one monitor together: bounds its compile time. */
export const MAX_SPEC_REGEX_PROGRAM_SIZE = 12_000;
/**
 * Largest `maxBodyBytes` of a monitor with body or JSON assertions, and the largest body parsed
 * as JSON (by assertions and detectors). Matching 32 expressions over a body and parsing it cost
 * CPU in proportion to its size: above this, a monitor reads big bodies for the detectors only.
 */
export const MAX_ASSERTED_BODY_BYTES = 1 * MiB;
/**
 * Characters of a header or JSON value that `contains` and `matches` assertions look at: a target
 * chooses its values, and 32 assertions over one 200 KiB header would cost more than the body.
 */
export const MAX_MATCHED_VALUE_CHARS = 4 * KiB;

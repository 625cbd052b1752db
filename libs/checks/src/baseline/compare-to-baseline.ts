import type { Cause, CauseSeverity, Evidence } from '../verdict/verdict';
import type { Baseline } from './baseline';
import { isJsonMediaType, type ContentFingerprint } from './content-fingerprint';
import { describeAnswer, describeContent, describeHealthDocument, dialectName } from './describe-content';

/** A size change of this many bands (each a doubling) or more is worth telling: a page 8x smaller or larger. */
const SIZE_BAND_JUMP = 3;

/** One way the answer departs from the baseline. */
interface ContentChange {
  field: string;
  severity: CauseSeverity;
  /** The change in words, e.g. `the HTML title changed from "Shop" to "Maintenance"`. */
  words: string;
  evidence: Evidence;
}

type MediaFamily = 'json' | 'html' | 'text' | 'other';

/**
 * Compares a 2xx answer's fingerprint to the healthy baseline and reports the departure as one
 * `content_changed` cause, its severity the worst change found (none when the answer is the
 * same shape or only grew):
 * - down: the learned body was a health document or JSON and this one is not (a JSON health
 *   document replaced by a text or HTML page), or the media type's family changed
 *   (JSON, HTML, text);
 * - degraded: the HTML title changed, more than half the JSON top-level keys are gone, or
 *   health dependencies are gone;
 * - info: a few JSON keys gone, another health dialect, the size jumped by
 *   {@link SIZE_BAND_JUMP} bands or more, another `Server`.
 * Keys or dependencies that were added change nothing: APIs grow.
 *
 * @param bodyBytes the size of the body judged, for the words
 */
export function compareToBaseline(fingerprint: ContentFingerprint, baseline: Baseline, bodyBytes: number): Cause[] {
  const learned = baseline.fingerprint;
  const changes = changesOf(learned, fingerprint, bodyBytes);
  if (changes.length === 0) return [];
  const rank = { down: 2, degraded: 1, info: 0 } as const;
  const ordered = [...changes].sort((a, b) => rank[b.severity] - rank[a.severity]);
  const decisive = ordered[0] as ContentChange;
  const others = ordered.slice(1).map((change) => change.words);
  // Each change's own values (lost keys, both titles...), the decisive change's last so they win.
  const details: Evidence = {};
  for (const change of [...ordered].reverse()) Object.assign(details, change.evidence);
  return [
    {
      code: 'content_changed',
      severity: decisive.severity,
      message: `${decisive.words}${others.length > 0 ? `; also ${others.join('; ')}` : ''} (baseline of ${baseline.rounds} healthy rounds)`,
      evidence: {
        field: decisive.field,
        change: decisive.words,
        fields: ordered.map((change) => change.field),
        before: describeContent(learned),
        after: describeContent(fingerprint),
        learnedRounds: baseline.rounds,
        ...details,
      },
    },
  ];
}

function changesOf(learned: ContentFingerprint, now: ContentFingerprint, bodyBytes: number): ContentChange[] {
  const changes: ContentChange[] = [];
  const structured = (kind: ContentFingerprint['kind']): boolean => kind === 'health' || kind === 'json';

  if (learned.kind === 'health' && now.kind !== 'health') {
    changes.push({
      field: 'kind',
      severity: 'down',
      words: `${describeHealthDocument(learned)} is gone: now ${describeAnswer(now, bodyBytes)}`,
      evidence: { beforeKind: learned.kind, afterKind: now.kind },
    });
  } else if (learned.kind === 'json' && !structured(now.kind)) {
    changes.push({
      field: 'kind',
      severity: 'down',
      words: `the JSON document${learned.mediaType === '' ? '' : ` (${learned.mediaType})`} is gone: now ${describeAnswer(now, bodyBytes)}`,
      evidence: { beforeKind: learned.kind, afterKind: now.kind },
    });
  } else {
    const before = familyOf(learned);
    const after = familyOf(now);
    if (before !== after && before !== 'other' && after !== 'other') {
      changes.push({
        field: 'mediaType',
        severity: 'down',
        words: `the media type changed from ${learned.mediaType || 'none'} to ${now.mediaType || 'none'}: now ${describeAnswer(now, bodyBytes)}`,
        evidence: { beforeMediaType: learned.mediaType, afterMediaType: now.mediaType },
      });
    }
  }
  const kindChanged = changes.length > 0;

  if (!kindChanged && learned.kind === 'html' && now.kind === 'html' && learned.htmlTitle !== now.htmlTitle) {
    changes.push({
      field: 'htmlTitle',
      severity: 'degraded',
      words:
        now.htmlTitle === undefined
          ? `the HTML title "${learned.htmlTitle ?? ''}" is gone`
          : learned.htmlTitle === undefined
            ? `the HTML page now has the title "${now.htmlTitle}"`
            : `the HTML title changed from "${learned.htmlTitle}" to "${now.htmlTitle}"`,
      evidence: { beforeTitle: learned.htmlTitle ?? null, afterTitle: now.htmlTitle ?? null },
    });
  }
  if (!kindChanged && learned.kind === 'health' && now.kind === 'health') {
    const lost = missing(learned.dependencies, now.dependencies);
    if (lost.length > 0) {
      changes.push({
        field: 'dependencies',
        severity: 'degraded',
        words: `the health document no longer lists ${lost.length === 1 ? 'the dependency' : `${lost.length} dependencies`}: ${lost.join(', ')}`,
        evidence: { lostDependencies: lost },
      });
    }
    if (learned.healthDialect !== now.healthDialect) {
      changes.push({
        field: 'healthDialect',
        severity: 'info',
        words: `the health document's dialect changed from ${dialectName(learned.healthDialect)} to ${dialectName(now.healthDialect)}`,
        evidence: { beforeDialect: learned.healthDialect ?? null, afterDialect: now.healthDialect ?? null },
      });
    }
  }
  if (!kindChanged && learned.jsonKeys && learned.jsonKeys.length > 0 && now.jsonKeys) {
    const lost = missing(learned.jsonKeys, now.jsonKeys);
    if (lost.length > 0) {
      const most = lost.length * 2 > learned.jsonKeys.length;
      changes.push({
        field: 'jsonKeys',
        severity: most ? 'degraded' : 'info',
        words: `${lost.length} of ${learned.jsonKeys.length} top-level JSON keys are gone: ${lost.join(', ')}`,
        evidence: { lostKeys: lost },
      });
    }
  }
  if (!kindChanged && Math.abs(now.sizeBand - learned.sizeBand) >= SIZE_BAND_JUMP) {
    changes.push({
      field: 'sizeBand',
      severity: 'info',
      words: `the body is ${now.sizeBand > learned.sizeBand ? 'far larger' : 'far smaller'} than it used to be (${bodyBytes} bytes, ${bandRange(learned.sizeBand)} before)`,
      evidence: { beforeSizeBand: learned.sizeBand, afterSizeBand: now.sizeBand, bodyBytes },
    });
  }
  if (learned.server !== now.server) {
    changes.push({
      field: 'server',
      severity: 'info',
      words: `the Server header changed from ${learned.server ?? '(none)'} to ${now.server ?? '(none)'}`,
      evidence: { beforeServer: learned.server ?? null, afterServer: now.server ?? null },
    });
  }
  return changes;
}

/** The family a media type belongs to; a body with no media type by what it is. */
function familyOf(fingerprint: ContentFingerprint): MediaFamily {
  const type = fingerprint.mediaType;
  if (type === '') return 'other';
  if (isJsonMediaType(type)) return 'json';
  if (type === 'text/html' || type === 'application/xhtml+xml') return 'html';
  if (type.startsWith('text/')) return 'text';
  return 'other';
}

function missing(before: readonly string[] | undefined, now: readonly string[] | undefined): string[] {
  if (!before) return [];
  const present = new Set(now ?? []);
  return before.filter((name) => !present.has(name));
}

function bandRange(band: number): string {
  return band === 0 ? '0 bytes' : `${2 ** band - 1}-${2 ** (band + 1) - 2} bytes`;
}

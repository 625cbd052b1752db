/** The health-document dialects {@link readHealthDocument} recognises. */
export type HealthFormat = 'simple' | 'spring-actuator' | 'ietf-health' | 'dotnet';

/** A status word reduced to what it means for a monitor. */
export type HealthState = 'pass' | 'warn' | 'fail' | 'unknown';

/**
 * What a health document says about itself and its dependencies, whatever its dialect.
 * Dependency names are paths: a nested Spring component is `broker.us1`.
 */
export interface HealthReport {
  format: HealthFormat;
  /** The overall status, reduced; when the document has none, the worst of its dependencies. */
  overall: HealthState;
  /** The overall status as written (`DOWN`, `Unhealthy`, `ok`); `''` when the document has none. */
  overallRaw: string;
  /** Dependencies reporting failure, in document order. Composite parents are named only when none of their children failed. */
  failed: string[];
  /** Dependencies reporting a warning or degradation, in document order. */
  degraded: string[];
  /** The document's own words for failed and degraded dependencies (`output`, `error`, `description`…), first 200 characters, by dependency name. */
  outputs: Record<string, string>;
}

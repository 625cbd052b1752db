export { healthDocumentDetector, healthReadingOf, type HealthReading } from './health-document.detector';
export { readHealthDocument } from './read-health-document';
export type { HealthFormat, HealthReport, HealthState } from './health-report';

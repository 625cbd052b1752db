import type { DeliveryOutcome } from './webhook-delivery';

/**
 * Delivery attempts this process made, by outcome, since it started: read by `/metrics` as
 * `crosscheck_webhook_deliveries_total`. Per process: with several coordinators, Prometheus sums them.
 */
export class WebhookDeliveryTally {
  private readonly counts = new Map<DeliveryOutcome, number>();

  record(outcome: DeliveryOutcome): void {
    this.counts.set(outcome, (this.counts.get(outcome) ?? 0) + 1);
  }

  /** Each outcome seen so far with its count. */
  snapshot(): ReadonlyMap<DeliveryOutcome, number> {
    return new Map(this.counts);
  }
}

import { describe, expect, it } from 'vitest';
import { InvalidMonitorError, monitorDocument, parseMonitorInput } from '@crosscheck/contract';

/** A monitor's `reconcile` and `incidents` policies, as the monitors API takes them. */
describe('monitor policies', () => {
  const body = { name: 'Shop', regions: ['eu-west', 'us-east'], intervalSeconds: 60, url: 'https://shop.example/health' };

  function pathsOf(input: unknown): string[] {
    try {
      parseMonitorInput(input, 10);
    } catch (error) {
      if (error instanceof InvalidMonitorError) return error.issues.map((issue) => issue.path).sort();
      throw error;
    }
    return [];
  }

  it('applies the defaults when left out', () => {
    const input = parseMonitorInput(body, 10);
    expect(input.reconcile).toEqual({ quorum: 0.5, minRegions: 1, outageQuorum: 0.5, lastModifiedSkewSeconds: 300 });
    expect(input.incidents).toEqual({ openAfter: 2, resolveAfter: 2, openOnDegraded: true });
  });

  it('keeps what is given, fills in the rest, and round-trips through the document PATCH merges into', () => {
    const input = parseMonitorInput({ ...body, reconcile: { quorum: 1 }, incidents: { openAfter: 3, blindAfter: 5 } }, 10);
    expect(input.reconcile).toEqual({ quorum: 1, minRegions: 1, outageQuorum: 0.5, lastModifiedSkewSeconds: 300 });
    expect(input.incidents).toEqual({ openAfter: 3, resolveAfter: 2, blindAfter: 5, openOnDegraded: true });
    expect(parseMonitorInput(monitorDocument(input), 10)).toEqual(input);
  });

  it('names every field at fault, with its path, next to the spec ones', () => {
    expect(
      pathsOf({ ...body, url: 'ftp://x', reconcile: { quorum: 2, threshold: 1 }, incidents: { openAfter: 0, resolveAfter: 1.5, openOnDegraded: 'yes' } }),
    ).toEqual(['incidents.openAfter', 'incidents.openOnDegraded', 'incidents.resolveAfter', 'reconcile.quorum', 'reconcile.threshold', 'url']);
    expect(pathsOf({ ...body, reconcile: 'strict', incidents: null })).toEqual(['incidents', 'reconcile']);
  });

  it('lets a monitor stored before policies existed be patched: the defaults apply', () => {
    const legacy = parseMonitorInput(body, 10) as Partial<ReturnType<typeof parseMonitorInput>>;
    delete legacy.reconcile;
    delete legacy.incidents;
    const document = monitorDocument(legacy as ReturnType<typeof parseMonitorInput>);
    expect(document).not.toHaveProperty('reconcile');
    expect(parseMonitorInput(document, 10).incidents).toEqual({ openAfter: 2, resolveAfter: 2, openOnDegraded: true });
  });
});

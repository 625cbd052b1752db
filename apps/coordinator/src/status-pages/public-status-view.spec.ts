import { describe, expect, it } from 'vitest';
import { buildPublicStatusPage, percentOf, type DayFacts, type MonitorFacts } from './public-status-view';

const NOW = Date.parse('2026-11-25T09:15:00Z');
const DAY = 86_400_000;

function point(at: string, fields: Partial<DayFacts>): DayFacts {
  return { at, up: 0, down: 0, uptimeRatio: null, worst: null, ...fields };
}

function monitor(fields: Partial<MonitorFacts> = {}): MonitorFacts {
  return { name: 'Checkout', latest: { classification: 'operational', affectedRegions: [] }, uptime: { uptimeRatio: 1 }, series: { points: [] }, incidents: [], ...fields };
}

const page = { slug: 'acme', title: 'Acme', description: null };

describe('the public view of a status page', () => {
  it.each([
    [1, '100%'],
    [0.99995, '99.99%'],
    [0.75, '75.00%'],
    [0.123456, '12.34%'],
    [0, '0.00%'],
    [null, null],
  ])('shows the ratio %s as %s (rounded down: a failed round never reads 100%)', (ratio, percent) => {
    expect(percentOf(ratio)).toBe(percent);
  });

  it.each([
    ['operational', 'operational', 'Operational'],
    ['degraded', 'degraded_performance', 'Degraded performance'],
    ['regional_outage', 'partial_outage', 'Partial outage'],
    ['outage', 'major_outage', 'Major outage'],
    ['masked_outage', 'major_outage', 'Major outage'],
    ['unknown', 'unknown', 'Status unknown'],
  ] as const)('says %s in words: %s, "%s"', (classification, state, label) => {
    const view = buildPublicStatusPage(page, [monitor({ latest: { classification, affectedRegions: ['eu-west'] } })], NOW);
    expect(view.monitors[0]).toMatchObject({ state, label });
  });

  it('names the regions of a partial outage, and says a masked outage is one', () => {
    const regional = buildPublicStatusPage(page, [monitor({ latest: { classification: 'regional_outage', affectedRegions: ['eu-west', 'ap-south'] } })], NOW);
    expect(regional.monitors[0]!.detail).toBe('Unavailable from some regions. Affected regions: eu-west, ap-south.');
    const masked = buildPublicStatusPage(page, [monitor({ latest: { classification: 'masked_outage', affectedRegions: [] } })], NOW);
    expect(masked.monitors[0]!.detail).toMatch(/^Unavailable; some visitors may be shown out-of-date pages from a cache/);
    expect(buildPublicStatusPage(page, [monitor({ latest: null })], NOW).monitors[0]).toMatchObject({ state: 'unknown', detail: 'No check has completed yet.' });
  });

  it('heads the page with the worst state of its monitors', () => {
    const states = (classifications: ('operational' | 'degraded' | 'regional_outage' | 'outage')[]) =>
      buildPublicStatusPage(page, classifications.map((classification) => monitor({ latest: { classification, affectedRegions: [] } })), NOW).status;
    expect(states(['operational', 'operational'])).toEqual({ state: 'operational', label: 'All systems operational' });
    expect(states(['operational', 'degraded'])).toEqual({ state: 'degraded_performance', label: 'Degraded performance' });
    expect(states(['degraded', 'regional_outage', 'operational'])).toEqual({ state: 'partial_outage', label: 'Partial outage' });
    expect(states(['regional_outage', 'outage'])).toEqual({ state: 'major_outage', label: 'Major outage' });
    expect(buildPublicStatusPage(page, [], NOW).status.state).toBe('operational');
  });

  it('shows the last 90 UTC days, today last, each day by its worst state with its text', () => {
    const points = [
      point('2026-11-25T00:00:00.000Z', { up: 30, down: 10, uptimeRatio: 0.75, worst: 'outage' }),
      point('2026-11-24T00:00:00.000Z', { up: 9, down: 1, uptimeRatio: 0.9, worst: 'regional_outage' }),
      point('2026-11-23T00:00:00.000Z', { up: 10, down: 0, uptimeRatio: 1, worst: 'degraded' }),
      point('2026-11-22T00:00:00.000Z', { up: 10, down: 0, uptimeRatio: 1, worst: 'operational' }),
      point('2026-11-21T00:00:00.000Z', { up: 0, down: 0, uptimeRatio: null, worst: 'unknown' }),
      // Older than 90 days: not shown.
      point(new Date(NOW - 95 * DAY).toISOString(), { up: 1, uptimeRatio: 1, worst: 'operational' }),
    ];
    const { days } = buildPublicStatusPage(page, [monitor({ series: { points } })], NOW).monitors[0]!;
    expect(days).toHaveLength(90);
    expect(days[0]!.date).toBe('2026-08-28');
    expect(days.slice(-5)).toEqual([
      { date: '2026-11-21', state: 'no_data', uptimeRatio: null, label: '21 Nov 2026: no data' },
      { date: '2026-11-22', state: 'operational', uptimeRatio: 1, label: '22 Nov 2026: 100% uptime, operational' },
      { date: '2026-11-23', state: 'degraded_performance', uptimeRatio: 1, label: '23 Nov 2026: 100% uptime, degraded performance' },
      { date: '2026-11-24', state: 'partial_outage', uptimeRatio: 0.9, label: '24 Nov 2026: 90.00% uptime, partial outage' },
      { date: '2026-11-25', state: 'major_outage', uptimeRatio: 0.75, label: '25 Nov 2026: 75.00% uptime, major outage' },
    ]);
    expect(days.filter((day) => day.state === 'no_data')).toHaveLength(86);
  });

  it('tells incidents in words, open ones in the present, with their start, end and regions, and nothing else', () => {
    const view = buildPublicStatusPage(
      page,
      [
        monitor({
          incidents: [
            { state: 'open', classification: 'regional_outage', affectedRegions: ['eu-west'], startedAt: '2026-11-25T09:00:00.000Z', resolvedAt: null },
            { state: 'resolved', classification: 'masked_outage', affectedRegions: ['eu-west', 'us-east'], startedAt: '2026-11-20T09:00:00.000Z', resolvedAt: '2026-11-20T10:00:00.000Z' },
          ],
        }),
      ],
      NOW,
    );
    expect(view.monitors[0]!.incidents).toEqual([
      { state: 'open', classification: 'partial_outage', label: 'Partial outage', summary: 'Unavailable from some regions (eu-west).', startedAt: '2026-11-25T09:00:00.000Z', resolvedAt: null, affectedRegions: ['eu-west'] },
      {
        state: 'resolved',
        classification: 'major_outage',
        label: 'Major outage',
        summary: 'It was unavailable (eu-west, us-east); some visitors were shown out-of-date pages from a cache.',
        startedAt: '2026-11-20T09:00:00.000Z',
        resolvedAt: '2026-11-20T10:00:00.000Z',
        affectedRegions: ['eu-west', 'us-east'],
      },
    ]);
  });
});

describe('maintenance on a public page', () => {
  const NOW = Date.UTC(2026, 10, 25, 3, 0, 0);
  const facts = (maintenance: { start: number; end: number; reason: string }[]) => ({
    name: 'Checkout',
    latest: { classification: 'outage' as const, affectedRegions: ['eu-west'] },
    uptime: { uptimeRatio: 1 },
    series: { points: [] },
    incidents: [],
    maintenance,
  });
  const HOUR = 3_600_000;

  it('reads "Under maintenance" while a window is in effect, and says until when', () => {
    const [monitor] = buildPublicStatusPage({ slug: 's', title: 'S', description: null }, [facts([{ start: NOW - HOUR, end: NOW + HOUR, reason: 'Database upgrade' }])], NOW).monitors;
    expect(monitor).toMatchObject({
      state: 'major_outage',
      label: 'Under maintenance',
      detail: 'Under maintenance until 25 Nov 2026, 04:00 UTC: Database upgrade. Meanwhile: major outage.',
      maintenance: [{ state: 'active', startsAt: '2026-11-25T02:00:00.000Z', endsAt: '2026-11-25T04:00:00.000Z' }],
    });
  });

  it('announces windows within a week, soonest first, and leaves out past and later ones', () => {
    const [monitor] = buildPublicStatusPage(
      { slug: 's', title: 'S', description: null },
      [
        facts([
          { start: NOW + 3 * 24 * HOUR, end: NOW + 3 * 24 * HOUR + HOUR, reason: 'Later' },
          { start: NOW + HOUR, end: NOW + 2 * HOUR, reason: 'Soon' },
          { start: NOW - 2 * HOUR, end: NOW - HOUR, reason: 'Past' },
          { start: NOW + 8 * 24 * HOUR, end: NOW + 8 * 24 * HOUR + HOUR, reason: 'Too far' },
        ]),
      ],
      NOW,
    ).monitors;
    expect(monitor?.label).toBe('Major outage');
    expect(monitor?.maintenance?.map((window) => window.label)).toEqual([
      'Maintenance scheduled from 25 Nov 2026, 04:00 UTC to 25 Nov 2026, 05:00 UTC: Soon',
      'Maintenance scheduled from 28 Nov 2026, 03:00 UTC to 28 Nov 2026, 04:00 UTC: Later',
    ]);
  });

  it('shows no maintenance member without a window', () => {
    const [monitor] = buildPublicStatusPage({ slug: 's', title: 'S', description: null }, [facts([])], NOW).monitors;
    expect(monitor).not.toHaveProperty('maintenance');
  });
});

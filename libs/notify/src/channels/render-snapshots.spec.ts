import { describe, expect, it } from 'vitest';
import { describeIncident } from '../describe/describe-incident';
import { emailViolations, pagerDutyViolations, slackViolations, teamsViolations } from '../testing/channel-contracts';
import { SAMPLE_OPTIONS, SCENARIOS } from '../testing/sample-events';
import { emailMessage } from './email/email-message';
import { pagerDutyEvent } from './pagerduty/pagerduty-event';
import { slackMessage } from './slack/slack-message';
import { teamsMessage } from './teams/teams-message';

const ROUTING_KEY = 'R0UT1NGKEY0000000000000000000000';
const EMAIL = { from: 'Crosscheck <alerts@crosscheck.example.com>', to: 'oncall@example.com', messageDomain: 'crosscheck.example.com', ...SAMPLE_OPTIONS };

/**
 * Every channel's rendering of every scenario, as a checked-in snapshot: a change of words shows in
 * review as a diff of what people will read. Each rendering also holds its channel's contract.
 */
describe.each(Object.entries(SCENARIOS))('%s', (_name, build) => {
  it('words', () => {
    const { regions, ...words } = describeIncident(build(), SAMPLE_OPTIONS);
    expect({ ...words, regions: regions.map(({ digest: _digest, ...r }) => r) }).toMatchSnapshot();
  });

  it('PagerDuty', () => {
    const event = pagerDutyEvent(build(), { routingKey: ROUTING_KEY, ...SAMPLE_OPTIONS });
    if (event) expect(pagerDutyViolations(event)).toEqual([]);
    expect(event).toMatchSnapshot();
  });

  it('Slack', () => {
    const message = slackMessage(build(), SAMPLE_OPTIONS);
    expect(slackViolations(message)).toEqual([]);
    expect(message).toMatchSnapshot();
  });

  it('Teams', () => {
    const message = teamsMessage(build(), SAMPLE_OPTIONS);
    expect(teamsViolations(message)).toEqual([]);
    expect(message).toMatchSnapshot();
  });

  it('email', () => {
    const message = emailMessage(build(), EMAIL);
    expect(emailViolations(message)).toEqual([]);
    expect(message).toMatchSnapshot();
  });
});

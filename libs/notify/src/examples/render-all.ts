/**
 * Prints what every channel gets for a sample masked outage (real evaluations of a Varnish cache
 * hiding a failed backend in two regions, and a refused connection in a third):
 * `node libs/notify/dist/examples/render-all.js [words|pagerduty|slack|teams|email]` (all when none is named).
 */
import { describeIncident } from '../describe/describe-incident';
import { emailMessage } from '../channels/email/email-message';
import { pagerDutyEvent } from '../channels/pagerduty/pagerduty-event';
import { slackMessage } from '../channels/slack/slack-message';
import { teamsMessage } from '../channels/teams/teams-message';
import { SAMPLE_OPTIONS, maskedOutageOpened } from '../testing/sample-events';

const event = maskedOutageOpened();
const renderings: Record<string, () => unknown> = {
  words: () => {
    const { regions, ...words } = describeIncident(event, SAMPLE_OPTIONS);
    return { ...words, regions: regions.map(({ digest: _digest, ...region }) => region) };
  },
  pagerduty: () => pagerDutyEvent(event, { routingKey: '<your 32-character routing key>', ...SAMPLE_OPTIONS }),
  slack: () => slackMessage(event, SAMPLE_OPTIONS),
  teams: () => teamsMessage(event, SAMPLE_OPTIONS),
  email: () => emailMessage(event, { from: 'Crosscheck <alerts@crosscheck.example.com>', to: 'oncall@example.com', messageDomain: 'crosscheck.example.com', ...SAMPLE_OPTIONS }),
};

const wanted = process.argv.slice(2);
for (const name of wanted.length > 0 ? wanted : Object.keys(renderings)) {
  const render = renderings[name];
  if (!render) throw new Error(`unknown rendering ${name}: one of ${Object.keys(renderings).join(', ')}`);
  process.stdout.write(`${wanted.length === 1 ? '' : `--- ${name}\n`}${JSON.stringify(render(), null, 2)}\n`);
}

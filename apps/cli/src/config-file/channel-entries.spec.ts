import { describe, expect, it } from 'vitest';
import { ConfigFileError, type ConfigFileIssue } from './config-file-error';
import { loadConfigFile } from './load-config-file';

const ENV = new Map([
  ['PD_KEY', 'R0UT1NGKEY0123456789abcdef9f2c'],
  ['SLACK_URL', 'https://hooks.slack.com/services/T000/B000/XXXXabcd'],
  ['SMTP_PASSWORD', 'hunter2-smtp'],
]);

const FILE = `version: 1
channels:
  - key: payments-pd
    type: pagerduty
    name: Payments on-call
    routingKey: \${PD_KEY}
  - key: ops-slack
    type: slack
    name: "#ops"
    description: everything, for the channel
    webhookUrl: \${SLACK_URL}
    events: [incident.resolved, incident.opened]
  - key: ops-mail
    type: email
    name: Ops mail
    smtp: { host: smtp.example.com, username: crosscheck, password: "\${SMTP_PASSWORD}" }
    from: crosscheck@example.com
    to: [ops@example.com]
    enabled: false
policies:
  - key: payments-critical
    name: Payments, critical
    match: { labels: { team: payments }, severities: [critical] }
    channels: [payments-pd]
    reminder: { everyMinutes: 30 }
    escalation: { afterMinutes: 15, channels: [ops-slack] }
  - key: everything
    name: Everything else
    default: true
    channels: [ops-slack]
monitors:
  - key: api
    name: API
    url: https://api.example.com/health
    regions: [eu-west]
    intervalSeconds: 60
    labels: { team: payments, env: prod }
    channels: [ops-slack]
`;

function issuesOf(text: string, variables: ReadonlyMap<string, string> = ENV): string[] {
  try {
    loadConfigFile('crosscheck.yaml', text, variables);
  } catch (error) {
    if (error instanceof ConfigFileError) return error.issues.map((i: ConfigFileIssue) => `${i.line}:${i.col} ${i.path}: ${i.message}`);
    throw error;
  }
  throw new Error('expected the file to be refused');
}

describe('channels, policies and monitor channels in the file', () => {
  it('reads channels as the API shows them (defaults filled in, secrets apart and filled in from the environment)', () => {
    const config = loadConfigFile('crosscheck.yaml', FILE, ENV);
    expect(config.declares).toMatchObject({ channels: true, policies: true });
    const [pagerduty, slack, email] = config.channels;
    expect(pagerduty).toMatchObject({
      key: 'payments-pd',
      path: ['channels', 0],
      document: {
        key: 'payments-pd',
        type: 'pagerduty',
        name: 'Payments on-call',
        description: null,
        events: ['incident.opened', 'incident.updated', 'incident.resolved', 'region.blind', 'region.restored', 'incident.reminder'],
        routing: 'policies',
        enabled: true,
        settings: { endpointUrl: 'https://events.pagerduty.com/v2/enqueue' },
      },
      secrets: { routingKey: 'R0UT1NGKEY0123456789abcdef9f2c' },
    });
    expect(slack?.document).toMatchObject({ type: 'slack', description: 'everything, for the channel', events: ['incident.resolved', 'incident.opened'], settings: {} });
    expect(slack?.secrets).toEqual({ webhookUrl: 'https://hooks.slack.com/services/T000/B000/XXXXabcd' });
    expect(email?.document).toMatchObject({
      type: 'email',
      enabled: false,
      settings: { smtp: { host: 'smtp.example.com', port: 587, secure: false, username: 'crosscheck' }, from: 'crosscheck@example.com', to: ['ops@example.com'] },
    });
    expect(email?.secrets).toEqual({ 'smtp.password': 'hunter2-smtp' });
  });

  it('reads policies with their channels by key, defaults filled in', () => {
    const config = loadConfigFile('crosscheck.yaml', FILE, ENV);
    expect(config.policies.map((policy) => policy.document)).toEqual([
      {
        key: 'payments-critical',
        name: 'Payments, critical',
        description: null,
        default: false,
        enabled: true,
        match: { labels: { team: 'payments' }, severities: ['critical'], events: null },
        channels: ['payments-pd'],
        reminder: { everyMinutes: 30 },
        escalation: { afterMinutes: 15, channels: ['ops-slack'] },
      },
      {
        key: 'everything',
        name: 'Everything else',
        description: null,
        default: true,
        enabled: true,
        match: { labels: null, severities: null, events: null },
        channels: ['ops-slack'],
        reminder: null,
        escalation: null,
      },
    ]);
  });

  it('reads a monitor with labels (to the API as they are) and channels by key (apart from its body)', () => {
    const [monitor] = loadConfigFile('crosscheck.yaml', FILE, ENV).monitors;
    expect(monitor?.channels).toEqual(['ops-slack']);
    expect(monitor?.body).toMatchObject({ key: 'api', labels: { team: 'payments', env: 'prod' } });
    expect(monitor?.body).not.toHaveProperty('channels');
    const bare = loadConfigFile('f.yaml', 'version: 1\nmonitors:\n  - { key: a, name: A, url: "https://a.example.com/", regions: [eu], intervalSeconds: 60 }\n', new Map());
    expect(bare.monitors[0]?.channels).toEqual([]);
  });

  it('refuses a secret written in the file, naming the field, and one with a default', () => {
    const file = `version: 1
channels:
  - { key: a, type: pagerduty, name: A, routingKey: R0UT1NGKEY0123456789abcdef9f2c }
  - { key: b, type: slack, name: B, webhookUrl: "https://hooks.slack.com/services/\${SLACK_TOKEN}" }
  - { key: c, type: email, name: C, smtp: { host: mail, password: "\${SMTP_PASSWORD:-hunter2}" }, from: a@example.com, to: [b@example.com] }
  - { key: d, type: teams, name: D, webhookUrl: "$\${TEAMS}" }
`;
    expect(issuesOf(file, new Map([['SLACK_TOKEN', 'x'], ['SMTP_PASSWORD', 'y']]))).toEqual([
      "3:41 channels[0].routingKey: write the secret as a ${ENV} reference (routingKey: ${CROSSCHECK_A_ROUTING_KEY}): a secret's value never goes in the file",
      "4:37 channels[1].webhookUrl: write the secret as a ${ENV} reference (webhookUrl: ${CROSSCHECK_B_WEBHOOK_URL}): a secret's value never goes in the file",
      '5:57 channels[2].smtp.password: write the secret as a ${ENV} reference without a default (${CROSSCHECK_C_SMTP_PASSWORD}): a default would put the secret in the file',
      "6:37 channels[3].webhookUrl: write the secret as a ${ENV} reference (webhookUrl: ${CROSSCHECK_D_WEBHOOK_URL}): a secret's value never goes in the file",
    ]);
  });

  it('names a secret whose variable is not set, and nothing its placeholder causes', () => {
    expect(issuesOf(FILE, new Map([['PD_KEY', 'k'.repeat(32)], ['SMTP_PASSWORD', 'p']]))).toEqual([
      '11:5 channels[1].webhookUrl: uses the environment variable SLACK_URL, which is not set',
    ]);
  });

  it("says what the API's parser says of a channel, and requires a key", () => {
    const file = `version: 1
channels:
  - { type: pagerduty, name: A, routingKey: "\${PD_KEY}" }
  - { key: b, type: fax, name: B }
  - { key: c, type: slack, name: "", webhookUrl: "\${SLACK_URL}", events: [incident.opened, incident.exploded], enabled: maybe }
  - { key: d, type: email, name: D, smtp: { host: "bad host" }, from: nobody, to: [] }
  - { key: e, type: webhook, name: E, url: "ftp://example.com/" }
`;
    expect(issuesOf(file)).toEqual([
      '3:5 channels[0].key: is required: the file addresses each channel by its key',
      '4:15 channels[1].type: must be one of pagerduty, slack, teams, email, webhook',
      '5:28 channels[2].name: must not be empty',
      '5:92 channels[2].events[1]: unknown event type "incident.exploded"; one of incident.opened, incident.updated, incident.resolved, region.blind, region.restored, incident.reminder, maintenance.started, maintenance.ended',
      '5:112 channels[2].enabled: must be true or false',
      '6:45 channels[3].smtp.host: must be a host name or an IP address',
      '6:65 channels[3].from: must be an email address',
      '6:79 channels[3].to: must name at least one recipient',
      '7:39 channels[4].url: must be an http:// or https:// URL',
    ]);
  });

  it("says what the API's parser says of a policy, its channels as keys", () => {
    const file = `version: 1
policies:
  - { name: A, channels: [x] }
  - { key: b, name: B, channels: [] }
  - { key: c, name: C, channels: [x, x], escalation: { afterMinutes: 0, channels: [Not A Key] } }
  - { key: d, name: D, default: true, match: { severities: [fatal] }, channels: [x], reminder: { everyMinutes: 100000 } }
`;
    expect(issuesOf(file)).toEqual([
      '3:5 policies[0].key: is required: the file addresses each policy by its key',
      '4:24 policies[1].channels: must name at least one channel',
      '5:38 policies[2].channels[1]: duplicate channel x',
      '5:56 policies[2].escalation.afterMinutes: must be more than 0',
      '5:56 policies[2].escalation.afterMinutes: must be at least 1 (REMINDER_MIN_INTERVAL)',
      '5:84 policies[2].escalation.channels[0]: must be 1-64 of a-z, 0-9, ".", "_" and "-", starting with a letter or digit',
      '6:61 policies[3].match.severities[0]: must be one of critical, major, minor',
      '6:98 policies[3].reminder.everyMinutes: must be at most 1440',
    ]);
  });

  it('refuses a default policy with a match, as the API does', () => {
    const file = 'version: 1\npolicies:\n  - { key: d, name: D, default: true, match: { severities: [critical] }, channels: [x] }\n';
    expect(issuesOf(file)).toEqual(['3:39 policies[0].match: the default policy matches what no other policy does: leave match out']);
  });

  it('refuses a key shared by a webhook and a channel, two channels or policies of one key, and two default policies', () => {
    const file = `version: 1
webhooks:
  - { key: hooks, url: "https://hooks.example.com/" }
channels:
  - { key: hooks, type: webhook, name: Hooks, url: "https://hooks.example.com/" }
  - { key: hooks2, type: webhook, name: Hooks, url: "https://hooks.example.com/" }
  - { key: hooks2, type: webhook, name: Hooks, url: "https://hooks.example.com/" }
policies:
  - { key: one, name: One, default: true, channels: [hooks] }
  - { key: two, name: Two, default: true, channels: [hooks] }
  - { key: two, name: Two, channels: [hooks] }
`;
    expect(issuesOf(file)).toEqual([
      '5:7 channels[0].key: duplicate channel key "hooks" (also webhooks[0]): a webhook is a channel, and each channel needs its own key',
      '7:7 channels[2].key: duplicate channel key "hooks2" (also channels[1]): each channel needs its own',
      '10:28 policies[1].default: a second default policy (also policies[0]): there is at most one',
      '11:7 policies[2].key: duplicate policy key "two" (also policies[1]): each policy needs its own',
    ]);
  });

  it('refuses a monitor naming channels by anything but keys, once each', () => {
    const file = `version: 1
monitors:
  - { key: a, name: A, url: "https://a.example.com/", regions: [eu], intervalSeconds: 60, channels: [ops, ops], labels: { Team: x } }
  - { key: b, name: B, url: "https://b.example.com/", regions: [eu], intervalSeconds: 0, channels: ops }
`;
    expect(issuesOf(file)).toEqual([
      '3:107 monitors[0].channels[1]: duplicate channel ops',
      '3:123 monitors[0].labels.Team: must be an object of label names to values',
      '4:70 monitors[1].intervalSeconds: must be at least 1',
      '4:90 monitors[1].channels: must be a list of channel keys',
    ]);
  });
});

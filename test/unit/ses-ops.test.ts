/**
 * The `ses` commands of the ops CLI (infra/ops/ses.ts), run in this process against a mocked SES v2 client: SES's
 * identities, account details and production access have no emulator. The state is OH (sender
 * vision-progress@education.ohio.example, region us-east-2, infra/config/oh.ts).
 */
import {
  CreateEmailIdentityCommand,
  GetAccountCommand,
  type GetAccountCommandOutput,
  GetConfigurationSetCommand,
  GetEmailIdentityCommand,
  type GetEmailIdentityCommandOutput,
  NotFoundException,
  PutAccountDetailsCommand,
  PutEmailIdentityMailFromAttributesCommand,
  SESv2Client,
} from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { recordingAws, runOps } from '../support/ops';

const client = new SESv2Client({ region: 'us-east-2' });
const sesMock = mockClient(client);
/** SES v2 and no other service: a `ses` command that asked for another would fail. */
const { aws, asked } = recordingAws({ sesV2: () => client });
const ops = (argv: readonly string[]) => runOps(argv, { aws });
/** `ses <subcommand> --state OH`, then `extra`. */
// the words as the runbook writes them ('ses', 'setup', …), for Ohio
const ohio = (...argv: string[]) => ops([...argv, '--state', 'OH']);

const DOMAIN = 'education.ohio.example';
const TOKENS = [
  'tok1aaaaaaaaaaaaaaaaaaaaaaaaaaaa',
  'tok2bbbbbbbbbbbbbbbbbbbbbbbbbbbb',
  'tok3cccccccccccccccccccccccccccc',
];
const PRODUCTION_REQUEST = [
  '--website-url',
  'https://vision-progress.education.ohio.example',
  '--use-case',
  'Weekly progress digests to school district staff who subscribed; bounces and complaints suppress the address.',
];

/** The three Easy DKIM CNAMEs of the OH domain, as `--json` prints them. */
const DKIM_RECORDS = TOKENS.map((token) => ({
  purpose: 'dkim',
  type: 'CNAME',
  name: `${token}._domainkey.${DOMAIN}`,
  value: `${token}.dkim.amazonses.com`,
}));

/** The PutAccountDetails input of PRODUCTION_REQUEST, without contacts. */
const REQUESTED = {
  MailType: 'TRANSACTIONAL',
  WebsiteURL: 'https://vision-progress.education.ohio.example',
  UseCaseDescription: PRODUCTION_REQUEST[3],
  ContactLanguage: 'EN',
  ProductionAccessEnabled: true,
};

const notFound = (message: string) => new NotFoundException({ message, $metadata: {} });

/** GetEmailIdentity's answer for the OH domain, verified unless told otherwise. */
function identityAnswer(
  overrides: Partial<GetEmailIdentityCommandOutput> = {},
): Partial<GetEmailIdentityCommandOutput> {
  return {
    IdentityType: 'DOMAIN',
    VerificationStatus: 'SUCCESS',
    VerifiedForSendingStatus: true,
    DkimAttributes: {
      SigningEnabled: true,
      Status: 'SUCCESS',
      Tokens: TOKENS,
      SigningAttributesOrigin: 'AWS_SES',
      CurrentSigningKeyLength: 'RSA_2048_BIT',
    },
    ...overrides,
  };
}

/** GetAccount's answer: the sandbox's quota unless told otherwise. */
function accountAnswer(overrides: Partial<GetAccountCommandOutput> = {}): Partial<GetAccountCommandOutput> {
  return {
    ProductionAccessEnabled: false,
    SendingEnabled: true,
    EnforcementStatus: 'HEALTHY',
    SendQuota: { Max24HourSend: 200, MaxSendRate: 1, SentLast24Hours: 3 },
    ...overrides,
  };
}

const production = {
  ProductionAccessEnabled: true,
  SendQuota: { Max24HourSend: 50_000, MaxSendRate: 14, SentLast24Hours: 120 },
};

/** The DKIM CNAME of a token, as printed: a table row. */
const dkimRow = (token: string, zone = 'dkim.amazonses.com') =>
  new RegExp(
    `^CNAME\\s+${token}\\._domainkey\\.education\\.ohio\\.example\\s+${token}\\.${zone.replaceAll('.', '\\.')}$`,
    'm',
  );

beforeEach(() => {
  sesMock.reset();
  asked.length = 0;
});

describe('ses setup', () => {
  it("creates the sender domain's identity with Easy DKIM and a 2048-bit key, and prints its three CNAMEs", async () => {
    sesMock.on(GetEmailIdentityCommand).rejects(notFound(`Email identity ${DOMAIN} does not exist.`));
    sesMock.on(CreateEmailIdentityCommand).resolves({
      IdentityType: 'DOMAIN',
      VerifiedForSendingStatus: false,
      DkimAttributes: {
        SigningEnabled: true,
        Status: 'PENDING',
        Tokens: TOKENS,
        SigningAttributesOrigin: 'AWS_SES',
      },
    });

    const { code, stdout, stderr } = await ohio('ses', 'setup');

    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(sesMock.commandCalls(GetEmailIdentityCommand)[0]?.args[0].input).toEqual({
      EmailIdentity: DOMAIN,
    });
    expect(sesMock.commandCalls(CreateEmailIdentityCommand).map((call) => call.args[0].input)).toEqual([
      {
        EmailIdentity: DOMAIN,
        DkimSigningAttributes: { NextSigningKeyLength: 'RSA_2048_BIT' },
        Tags: [
          { Key: 'application', Value: 'vision-progress' },
          { Key: 'state', Value: 'OH' },
        ],
      },
    ]);
    expect(sesMock.commandCalls(PutEmailIdentityMailFromAttributesCommand)).toHaveLength(0);
    expect(stdout).toMatch(
      `Created the SES identity ${DOMAIN} in us-east-2 (Easy DKIM, 2048-bit key), for vision-progress@${DOMAIN}.`,
    );
    expect(stdout).toMatch(`Publish these DNS records in the zone of ${DOMAIN}:`);
    for (const token of TOKENS) expect(stdout).toMatch(dkimRow(token));
    expect(stdout).toMatch('SES looks for them for up to 72 hours; `npm run ops -- ses status --state OH`');
    expect(asked).toEqual(['sesv2 us-east-2']);
  });

  it('creates nothing when the identity exists, and prints its records again', async () => {
    sesMock.on(GetEmailIdentityCommand, { EmailIdentity: DOMAIN }).resolves(identityAnswer());

    const { code, stdout } = await ohio('ses', 'setup');

    expect(code).toBe(0);
    expect(sesMock.commandCalls(CreateEmailIdentityCommand)).toHaveLength(0);
    expect(stdout).toMatch(
      `The SES identity ${DOMAIN} exists in us-east-2 (verification SUCCESS, DKIM SUCCESS): not created again.`,
    );
    expect(stdout).toMatch('Its DNS records, which must stay published');
    for (const token of TOKENS) expect(stdout).toMatch(dkimRow(token));
  });

  it('points the CNAMEs into the zone SES names for the identity, where it names one', async () => {
    const zone = 'dkim.af-south-1.amazonses.com';
    sesMock.on(GetEmailIdentityCommand).resolves(
      identityAnswer({
        DkimAttributes: {
          Status: 'SUCCESS',
          Tokens: TOKENS,
          SigningHostedZone: zone,
          SigningAttributesOrigin: 'AWS_SES',
        },
      }),
    );

    const { stdout } = await ohio('ses', 'setup', '--region', 'af-south-1');

    for (const token of TOKENS) expect(stdout).toMatch(dkimRow(token, zone));
    expect(asked).toEqual(['sesv2 af-south-1']);
  });

  it('sets a custom MAIL FROM domain in the --region given and prints its MX and SPF records as data', async () => {
    sesMock.on(GetEmailIdentityCommand).resolves(identityAnswer());
    sesMock.on(PutEmailIdentityMailFromAttributesCommand).resolves({});

    const { code, stdout } = await ohio(
      'ses',
      'setup',
      '--region',
      'us-west-2',
      '--mail-from',
      `Bounce.${DOMAIN}.`,
      '--json',
    );

    expect(code).toBe(0);
    expect(
      sesMock.commandCalls(PutEmailIdentityMailFromAttributesCommand).map((call) => call.args[0].input),
    ).toEqual([
      { EmailIdentity: DOMAIN, MailFromDomain: `bounce.${DOMAIN}`, BehaviorOnMxFailure: 'USE_DEFAULT_VALUE' },
    ]);
    expect(JSON.parse(stdout)).toEqual({
      state: 'OH',
      region: 'us-west-2',
      sender: `vision-progress@${DOMAIN}`,
      domain: DOMAIN,
      created: false,
      verificationStatus: 'SUCCESS',
      dkimStatus: 'SUCCESS',
      dkimOrigin: 'AWS_SES',
      mailFrom: { domain: `bounce.${DOMAIN}`, status: 'PENDING', changed: true },
      records: [
        ...DKIM_RECORDS,
        {
          purpose: 'mail-from',
          type: 'MX',
          name: `bounce.${DOMAIN}`,
          value: 'feedback-smtp.us-west-2.amazonses.com',
          priority: 10,
        },
        {
          purpose: 'mail-from',
          type: 'TXT',
          name: `bounce.${DOMAIN}`,
          value: 'v=spf1 include:amazonses.com ~all',
        },
      ],
    });
    expect(asked).toEqual(['sesv2 us-west-2']);
  });

  it('prints the MAIL FROM records as a DNS console asks for them, and sets nothing already set', async () => {
    sesMock.on(GetEmailIdentityCommand).resolves(
      identityAnswer({
        MailFromAttributes: {
          MailFromDomain: `bounce.${DOMAIN}`,
          MailFromDomainStatus: 'SUCCESS',
          BehaviorOnMxFailure: 'USE_DEFAULT_VALUE',
        },
      }),
    );

    const { code, stdout } = await ohio('ses', 'setup', '--mail-from', `bounce.${DOMAIN}`);

    expect(code).toBe(0);
    expect(sesMock.commandCalls(PutEmailIdentityMailFromAttributesCommand)).toHaveLength(0);
    expect(stdout).toMatch(
      /^MX\s+bounce\.education\.ohio\.example\s+10 feedback-smtp\.us-east-2\.amazonses\.com$/m,
    );
    expect(stdout).toMatch(
      /^TXT\s+bounce\.education\.ohio\.example\s+"v=spf1 include:amazonses\.com ~all"$/m,
    );
  });

  it('refuses a MAIL FROM domain outside the sender domain before calling SES', async () => {
    const { code, stderr } = await ohio('ses', 'setup', '--mail-from', 'bounce.example.org');

    expect(code).toBe(1);
    expect(stderr).toMatch(`error: --mail-from must be a subdomain of the sender domain ${DOMAIN}`);
    expect(sesMock.calls()).toHaveLength(0);
  });

  it('prints the records of a new identity as data', async () => {
    sesMock.on(GetEmailIdentityCommand).rejects(notFound('not found'));
    sesMock.on(CreateEmailIdentityCommand).resolves({
      VerifiedForSendingStatus: false,
      DkimAttributes: { Status: 'PENDING', Tokens: TOKENS },
    });

    const { code, stdout } = await ohio('ses', 'setup', '--json');

    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({
      created: true,
      verificationStatus: 'PENDING',
      dkimStatus: 'PENDING',
      mailFrom: null,
    });
    expect(report.records).toEqual(DKIM_RECORDS);
  });
});

describe('ses status', () => {
  /** SES answering for the identity, the account and the configuration set. */
  function answering(options: {
    identity?: Partial<GetEmailIdentityCommandOutput>;
    account?: Partial<GetAccountCommandOutput>;
    configurationSet?: boolean;
  }) {
    if (options.identity) sesMock.on(GetEmailIdentityCommand).resolves(options.identity);
    else sesMock.on(GetEmailIdentityCommand).rejects(notFound('not found'));
    sesMock.on(GetAccountCommand).resolves(options.account ?? accountAnswer());
    if (options.configurationSet === false) {
      sesMock.on(GetConfigurationSetCommand).rejects(notFound('Configuration set does not exist.'));
    } else {
      sesMock.on(GetConfigurationSetCommand).resolves({ ConfigurationSetName: 'VisionProgress-OH-digests' });
    }
  }

  it('says ready to send to anyone, with the quota, and exits 0', async () => {
    answering({ identity: identityAnswer(), account: accountAnswer(production) });

    const { code, stdout, stderr } = await ohio('ses', 'status');

    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ {2}identity\s+education\.ohio\.example: verification SUCCESS, DKIM SUCCESS$/m);
    expect(stdout).toMatch(/^ {2}production access\s+yes$/m);
    expect(stdout).toMatch(/^ {2}send quota\s+50,000 a day \(120 sent in the last 24 hours\)$/m);
    expect(stdout).toMatch(/^ {2}max send rate\s+14 a second$/m);
    expect(stdout).toMatch(/^ {2}sending\s+enabled$/m);
    expect(stdout).toMatch(/^ {2}enforcement\s+HEALTHY$/m);
    expect(stdout).toMatch(/^ {2}configuration set\s+VisionProgress-OH-digests: exists$/m);
    expect(stdout).toMatch(/^verdict: ready to send to anyone: 50,000 a day, 14 a second$/m);
    expect(sesMock.commandCalls(GetConfigurationSetCommand)[0]?.args[0].input).toEqual({
      ConfigurationSetName: 'VisionProgress-OH-digests',
    });
    expect(asked).toEqual(['sesv2 us-east-2']);
  });

  it('says sandbox and exits 1 with the command that requests production access', async () => {
    answering({ identity: identityAnswer() });

    const { code, stdout, stderr } = await ohio('ses', 'status');

    expect(code).toBe(1);
    expect(stdout).toMatch(/^ {2}production access\s+no \(sandbox\)$/m);
    expect(stdout).toMatch(
      /^verdict: sandbox: sends only to verified addresses and the mailbox simulator, 200 a day, 1 a second$/m,
    );
    expect(stderr).toMatch(
      /^error: VisionProgress-OH is not ready: request production access: npm run ops -- ses request-production-access --state OH /,
    );
  });

  it('says sandbox while a request is under review, and names its case', async () => {
    answering({
      identity: identityAnswer(),
      account: accountAnswer({ Details: { ReviewDetails: { Status: 'PENDING', CaseId: '172839' } } }),
    });

    const { code, stdout, stderr } = await ohio('ses', 'status');

    expect(code).toBe(1);
    expect(stdout).toMatch(/^ {2}production access\s+no \(sandbox\), last request PENDING \(case 172839\)$/m);
    expect(stderr).toMatch("wait for AWS's review of the request for production access (case 172839)");
  });

  it('says the identity is not verified yet until SES finds the DNS records, and exits 1', async () => {
    answering({
      identity: identityAnswer({
        VerificationStatus: 'PENDING',
        VerifiedForSendingStatus: false,
        DkimAttributes: { Status: 'PENDING', Tokens: TOKENS },
      }),
      account: accountAnswer(production),
    });

    const { code, stdout, stderr } = await ohio('ses', 'status');

    expect(code).toBe(1);
    expect(stdout).toMatch(
      /^verdict: identity education\.ohio\.example not verified yet \(verification PENDING, DKIM PENDING\)$/m,
    );
    expect(stderr).toMatch(
      'publish the DNS records that `npm run ops -- ses setup --state OH` prints; SES looks for them for up to 72 hours',
    );
  });

  it('says there is no identity yet, and how to make it', async () => {
    answering({});

    const { code, stdout, stderr } = await ohio('ses', 'status');

    expect(code).toBe(1);
    expect(stdout).toMatch(/^ {2}identity\s+none for education\.ohio\.example in us-east-2$/m);
    expect(stdout).toMatch(/^verdict: no SES identity for education\.ohio\.example in us-east-2 yet$/m);
    expect(stderr).toMatch('npm run ops -- ses setup --state OH');
  });

  it("says when the stack's configuration set is missing, and to deploy the stack", async () => {
    answering({ identity: identityAnswer(), account: accountAnswer(production), configurationSet: false });

    const { code, stdout, stderr } = await ohio('ses', 'status');

    expect(code).toBe(1);
    expect(stdout).toMatch(/^ {2}configuration set\s+VisionProgress-OH-digests: missing$/m);
    expect(stderr).toMatch('deploy the stack: npm run cdk -- deploy VisionProgress-OH -c state=OH');
  });

  it('says when sending is paused for the account', async () => {
    answering({
      identity: identityAnswer(),
      account: accountAnswer({ ...production, SendingEnabled: false, EnforcementStatus: 'SHUTDOWN' }),
    });

    const { code, stdout } = await ohio('ses', 'status');

    expect(code).toBe(1);
    expect(stdout).toMatch(
      /^verdict: sending is paused for the account in us-east-2 \(enforcement status SHUTDOWN\)$/m,
    );
  });

  it('prints everything as data, the verdict included, and still exits 1 when not ready', async () => {
    answering({
      identity: identityAnswer({
        MailFromAttributes: {
          MailFromDomain: `bounce.${DOMAIN}`,
          MailFromDomainStatus: 'SUCCESS',
          BehaviorOnMxFailure: 'USE_DEFAULT_VALUE',
        },
      }),
    });

    const { code, stdout } = await ohio('ses', 'status', '--json');

    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toEqual({
      state: 'OH',
      region: 'us-east-2',
      sender: `vision-progress@${DOMAIN}`,
      domain: DOMAIN,
      identity: {
        domain: DOMAIN,
        verificationStatus: 'SUCCESS',
        verifiedForSending: true,
        dkim: { status: 'SUCCESS', origin: 'AWS_SES', tokens: TOKENS },
        mailFrom: { domain: `bounce.${DOMAIN}`, status: 'SUCCESS' },
      },
      account: {
        productionAccess: false,
        sendingEnabled: true,
        enforcementStatus: 'HEALTHY',
        max24HourSend: 200,
        maxSendRate: 1,
        sentLast24Hours: 3,
      },
      configurationSet: { name: 'VisionProgress-OH-digests', exists: true },
      verdict: {
        kind: 'sandbox',
        ready: false,
        summary: 'sandbox: sends only to verified addresses and the mailbox simulator, 200 a day, 1 a second',
        nextStep: expect.stringMatching(
          /^request production access: npm run ops -- ses request-production-access/,
        ),
      },
    });
  });

  it('prints a missing identity as null', async () => {
    answering({ account: accountAnswer(production) });

    const { stdout } = await ohio('ses', 'status', '--json');

    expect(JSON.parse(stdout)).toMatchObject({
      identity: null,
      verdict: { kind: 'identity-missing', ready: false },
    });
  });
});

describe('ses request-production-access', () => {
  it('asks for production access for transactional mail, prints what it sent, and that AWS reviews it', async () => {
    sesMock.on(GetAccountCommand).resolves(accountAnswer());
    sesMock.on(PutAccountDetailsCommand).resolves({});

    const { code, stdout, stderr } = await ohio(
      'ses',
      'request-production-access',
      ...PRODUCTION_REQUEST,
      '--contact',
      'ops@education.ohio.example',
      'deliverability@education.ohio.example',
    );

    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(sesMock.commandCalls(PutAccountDetailsCommand).map((call) => call.args[0].input)).toEqual([
      {
        ...REQUESTED,
        AdditionalContactEmailAddresses: [
          'ops@education.ohio.example',
          'deliverability@education.ohio.example',
        ],
      },
    ]);
    expect(stdout).toMatch('Requested production access for SES in us-east-2, with:');
    expect(stdout).toMatch(/^ {2}mail type\s+TRANSACTIONAL$/m);
    expect(stdout).toMatch(/^ {2}website URL\s+https:\/\/vision-progress\.education\.ohio\.example$/m);
    expect(stdout).toMatch(
      /^ {2}contacts\s+ops@education\.ohio\.example, deliverability@education\.ohio\.example$/m,
    );
    expect(stdout).toMatch(/^ {2}contact language\s+EN$/m);
    expect(stdout).toMatch('AWS reviews the request, usually within a day');
    expect(asked).toEqual(['sesv2 us-east-2']);
  });

  it('sends no contacts when none is given, and prints what it sent as data', async () => {
    sesMock.on(GetAccountCommand).resolves(accountAnswer());
    sesMock.on(PutAccountDetailsCommand).resolves({});

    const { code, stdout } = await ohio('ses', 'request-production-access', ...PRODUCTION_REQUEST, '--json');

    expect(code).toBe(0);
    expect(sesMock.commandCalls(PutAccountDetailsCommand)[0]?.args[0].input).toEqual(REQUESTED);
    expect(JSON.parse(stdout)).toEqual({ state: 'OH', region: 'us-east-2', sent: REQUESTED });
  });

  it('refuses when the account already has production access, and sends nothing', async () => {
    sesMock.on(GetAccountCommand).resolves(accountAnswer(production));

    const { code, stderr } = await ohio('ses', 'request-production-access', ...PRODUCTION_REQUEST);

    expect(code).toBe(1);
    expect(stderr).toMatch(
      'error: the account already has production access in us-east-2: nothing to request',
    );
    expect(sesMock.commandCalls(PutAccountDetailsCommand)).toHaveLength(0);
  });

  it('refuses while a request is under review', async () => {
    sesMock
      .on(GetAccountCommand)
      .resolves(accountAnswer({ Details: { ReviewDetails: { Status: 'PENDING', CaseId: '172839' } } }));

    const { code, stderr } = await ohio('ses', 'request-production-access', ...PRODUCTION_REQUEST);

    expect(code).toBe(1);
    expect(stderr).toMatch('is under review already (case 172839)');
    expect(sesMock.commandCalls(PutAccountDetailsCommand)).toHaveLength(0);
  });

  it.each([
    ['a website URL that is none', ['--website-url', 'vision-progress', '--use-case', 'digests']],
    ['no use case', ['--website-url', 'https://vision-progress.education.ohio.example']],
    ['a contact that is no address', [...PRODUCTION_REQUEST, '--contact', 'ops']],
    [
      'five contacts',
      [
        ...PRODUCTION_REQUEST,
        '--contact',
        'a@x.example',
        'b@x.example',
        'c@x.example',
        'd@x.example',
        'e@x.example',
      ],
    ],
  ])('refuses %s as a usage error, before calling SES', async (_case, options) => {
    const { code } = await ohio('ses', 'request-production-access', ...options);

    expect(code).toBe(2);
    expect(sesMock.calls()).toHaveLength(0);
  });
});

describe('the ses commands outside a deployed state', () => {
  it.each([
    ['setup', []],
    ['status', []],
    ['request-production-access', PRODUCTION_REQUEST],
  ])('ses %s refuses the local stack: its SES emulator needs no identity', async (subcommand, options) => {
    const { code, stderr } = await ops(['ses', subcommand, ...options]);

    expect(code).toBe(1);
    expect(stderr).toMatch(
      `error: ses ${subcommand} works on a deployed state only (--state <code>): the local stack's SES emulator ` +
        'accepts mail from any sender to anyone, so it needs no identity, DNS records or production access',
    );
    expect(asked).toEqual([]);
  });

  it('refuses an API URL: SES is not set up through the API', async () => {
    const { code, stderr } = await ops([
      'ses',
      'status',
      '--api-url',
      'https://vision-progress.education.ohio.example',
    ]);

    expect(code).toBe(1);
    expect(stderr).toMatch(
      "error: ses status needs --state <code>: SES is set up in the state's AWS account",
    );
    expect(asked).toEqual([]);
  });
});

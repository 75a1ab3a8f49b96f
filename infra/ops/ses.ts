/**
 * `ses setup`, `ses status` and `ses request-production-access`: the SES side of a new state, which the stack
 * does not make. The stack makes the configuration set the digests are sent with; the identity of the sender's
 * domain, its DNS records and the account's production access are the agency's, set up once per state (and per
 * account and region) with these commands and the operator's own AWS credentials.
 *
 * A deployed state only (`--state`): the local stack's SES emulator needs none of it.
 */
import { type Command, InvalidArgumentError } from 'commander';
import * as z from 'zod';
import { loadStateConfig } from '../config/index';
import { digestConfigurationSetName, senderDomain, stackName } from '../stack-contract';
import type { CommandContext } from './command-context';
import { OpsError } from './context';
import { printFields, printJson, printTable } from './output';
import { type DomainIdentity, type SendingAccount, SesAccount } from './ses-account';
import {
  type DnsRecord,
  dkimRecords,
  mailFromRecords,
  normalizeMailFromDomain,
  recordValueText,
} from './ses-dns-records';
import { judgeReadiness } from './ses-readiness';

/** Where a `ses` command acts: a deployed state's sender, in its region. */
interface SesTarget {
  readonly stateCode: string;
  readonly region: string;
  readonly sender: string;
  readonly domain: string;
  readonly ses: SesAccount;
}

/** The deployed state a `ses` command acts on; refuses the local stack and a bare API URL. */
function sesTarget(context: CommandContext, command: Command): SesTarget {
  const name = `ses ${command.name()}`;
  const target = context.target(command);
  if (target.kind === 'local') {
    throw new OpsError(
      `${name} works on a deployed state only (--state <code>): the local stack's SES emulator accepts mail ` +
        'from any sender to anyone, so it needs no identity, DNS records or production access',
    );
  }
  if (target.kind === 'url') {
    throw new OpsError(
      `${name} needs --state <code>: SES is set up in the state's AWS account and region, not through its API`,
    );
  }
  const sender = loadStateConfig(target.stateCode).sesSender;
  return {
    stateCode: target.stateCode,
    region: target.region,
    sender,
    domain: senderDomain(sender),
    ses: new SesAccount(context.aws.sesV2(target.region)),
  };
}

/**
 * The records the identity needs published: Easy DKIM's CNAMEs (none for a key of the agency's own, whose TXT
 * record the agency made) and those of its MAIL FROM domain, if it has one.
 */
function recordsOf(identity: DomainIdentity, region: string): DnsRecord[] {
  const dkim =
    identity.dkim.origin === 'EXTERNAL'
      ? []
      : dkimRecords(identity.domain, identity.dkim.tokens, identity.dkim.signingHostedZone);
  return [...dkim, ...(identity.mailFrom ? mailFromRecords(identity.mailFrom.domain, region) : [])];
}

/** commander's parser of `--website-url`: an http(s) URL, as PutAccountDetails takes it. */
function parseWebsiteUrl(value: string): string {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (!url || !['http:', 'https:'].includes(url.protocol) || value.length > 1000) {
    throw new InvalidArgumentError('must be an http(s) URL of at most 1000 characters');
  }
  return value;
}

/** commander's parser of `--use-case`: 1 to 5000 characters, as PutAccountDetails takes it. */
function parseUseCase(value: string): string {
  const text = value.trim();
  if (text.length === 0 || text.length > 5000) throw new InvalidArgumentError('must be 1 to 5000 characters');
  return text;
}

/** The most additional contacts PutAccountDetails takes. */
const MAX_CONTACTS = 4;

/** commander's parser of `--contact`, called once per address: collects them, at most MAX_CONTACTS. */
function parseContact(value: string, previous: readonly string[] = []): string[] {
  if (!z.email().safeParse(value).success)
    throw new InvalidArgumentError(`${value} is not an e-mail address`);
  if (previous.length >= MAX_CONTACTS) throw new InvalidArgumentError(`at most ${MAX_CONTACTS} addresses`);
  return [...previous, value];
}

export function registerSes(program: Command, context: CommandContext): void {
  const ses = program
    .command('ses')
    .description(
      "SES set-up of a deployed state (--state): its sender domain's identity and DNS records, its readiness, " +
        'production access',
    );

  ses
    .command('setup')
    .description(
      "Create the SES identity of the domain of the state's sender address (Easy DKIM, 2048-bit key) unless it " +
        'exists, optionally set a custom MAIL FROM domain, and print the DNS records to publish: three DKIM ' +
        "CNAMEs, and the MAIL FROM domain's MX and SPF TXT records. Safe to run again: it then only prints.",
    )
    .option(
      '--mail-from <domain>',
      'a subdomain of the sender domain used for nothing else, e.g. bounce.<domain>: SPF then passes aligned ' +
        'with the From domain, which DMARC checks',
    )
    .action(async (options: { mailFrom?: string }, command: Command) => {
      const target = sesTarget(context, command);
      const mailFrom = mailFromOption(options.mailFrom, target.domain);
      const found = await target.ses.identity(target.domain);
      let identity = found ?? (await target.ses.createDomainIdentity(target.domain, target.stateCode));
      const mailFromChanged = mailFrom !== undefined && identity.mailFrom?.domain !== mailFrom;
      if (mailFromChanged) {
        await target.ses.setMailFromDomain(target.domain, mailFrom);
        identity = { ...identity, mailFrom: { domain: mailFrom, status: 'PENDING' } };
      }
      const records = recordsOf(identity, target.region);

      if (context.options(command).json) {
        return printJson(context.io, {
          state: target.stateCode,
          region: target.region,
          sender: target.sender,
          domain: target.domain,
          created: found === undefined,
          verificationStatus: identity.verificationStatus,
          dkimStatus: identity.dkim.status,
          dkimOrigin: identity.dkim.origin,
          mailFrom: identity.mailFrom ? { ...identity.mailFrom, changed: mailFromChanged } : null,
          records,
        });
      }
      printSetup(context, target, { identity, created: found === undefined, mailFromChanged, records });
    });

  ses
    .command('status')
    .description(
      "Whether the state can e-mail its digests to anyone: its sender domain's identity and DKIM, the account's " +
        "production access, quota and sending status, and the stack's configuration set, then a verdict. Exits 1 " +
        'unless ready, so that a script can wait on it.',
    )
    .action(async (_options: object, command: Command) => {
      const target = sesTarget(context, command);
      const configurationSetName = digestConfigurationSetName(target.stateCode);
      const [identity, account, configurationSetExists] = await Promise.all([
        target.ses.identity(target.domain),
        target.ses.account(),
        target.ses.configurationSetExists(configurationSetName),
      ]);
      const configurationSet = { name: configurationSetName, exists: configurationSetExists };
      const verdict = judgeReadiness({ ...target, identity, account, configurationSet });

      if (context.options(command).json) {
        printJson(context.io, {
          state: target.stateCode,
          region: target.region,
          sender: target.sender,
          domain: target.domain,
          identity: identity ?? null,
          account,
          configurationSet,
          verdict,
        });
      } else {
        printFields(context.io, statusFields(target, identity, account, configurationSet));
        context.io.out(`verdict: ${verdict.summary}\n`);
      }
      if (!verdict.ready)
        throw new OpsError(`${stackName(target.stateCode)} is not ready: ${verdict.nextStep}`);
    });

  ses
    .command('request-production-access')
    .description(
      "Ask AWS to take the account out of the SES sandbox in the state's region (transactional mail, contact " +
        'language English), so that digests reach every subscriber. AWS reviews the request, usually within a ' +
        'day, and answers by e-mail. Refused when the account has production access, or a request is under review.',
    )
    .requiredOption(
      '--website-url <url>',
      "the state's public site about the platform, which AWS's reviewers look at",
      parseWebsiteUrl,
    )
    .requiredOption(
      '--use-case <text>',
      'what the e-mails are, who asked for them, and how bounces, complaints and unsubscribes are handled',
      parseUseCase,
    )
    .option(
      '--contact <email...>',
      `further addresses AWS writes to about the account's SES matters (at most ${MAX_CONTACTS})`,
      parseContact,
    )
    .action(
      async (options: { websiteUrl: string; useCase: string; contact?: string[] }, command: Command) => {
        const target = sesTarget(context, command);
        const account = await target.ses.account();
        if (account.productionAccess) {
          throw new OpsError(
            `the account already has production access in ${target.region}: nothing to request ` +
              `(npm run ops -- ses status --state ${target.stateCode})`,
          );
        }
        if (account.review?.status === 'PENDING') {
          const caseNote = account.review.caseId ? ` (case ${account.review.caseId})` : '';
          throw new OpsError(
            `a request for production access in ${target.region} is under review already${caseNote}: AWS answers ` +
              'by e-mail, usually within a day',
          );
        }
        const sent = await target.ses.requestProductionAccess({
          websiteUrl: options.websiteUrl,
          useCase: options.useCase,
          contacts: options.contact ?? [],
        });

        if (context.options(command).json) {
          return printJson(context.io, { state: target.stateCode, region: target.region, sent });
        }
        context.io.out(`Requested production access for SES in ${target.region}, with:\n`);
        printFields(context.io, [
          ['mail type', sent.MailType ?? ''],
          ['website URL', sent.WebsiteURL ?? ''],
          ['use case', sent.UseCaseDescription ?? ''],
          [
            'contacts',
            sent.AdditionalContactEmailAddresses?.join(', ') ?? "(none besides the account's own)",
          ],
          ['contact language', sent.ContactLanguage ?? ''],
        ]);
        context.io.out(
          'AWS reviews the request, usually within a day, and answers by e-mail; ' +
            `\`npm run ops -- ses status --state ${target.stateCode}\` shows the review's status meanwhile.\n`,
        );
      },
    );
}

/** `--mail-from` checked against the sender domain; undefined when not given. */
function mailFromOption(value: string | undefined, domain: string): string | undefined {
  if (value === undefined) return undefined;
  const mailFrom = normalizeMailFromDomain(value, domain);
  if (!mailFrom) {
    throw new OpsError(
      `--mail-from must be a subdomain of the sender domain ${domain}, e.g. bounce.${domain}`,
    );
  }
  return mailFrom;
}

function printSetup(
  context: CommandContext,
  target: SesTarget,
  result: {
    readonly identity: DomainIdentity;
    readonly created: boolean;
    readonly mailFromChanged: boolean;
    readonly records: readonly DnsRecord[];
  },
): void {
  const { identity, records } = result;
  const out = context.io.out;
  out(
    result.created
      ? `Created the SES identity ${identity.domain} in ${target.region} (Easy DKIM, 2048-bit key), for ${target.sender}.\n`
      : `The SES identity ${identity.domain} exists in ${target.region} (verification ${identity.verificationStatus}, ` +
          `DKIM ${identity.dkim.status}): not created again.\n`,
  );
  if (result.mailFromChanged) out(`Set its MAIL FROM domain to ${identity.mailFrom?.domain}.\n`);
  if (identity.dkim.origin === 'EXTERNAL') {
    out(
      `DKIM signs with the agency's own key (selector ${identity.dkim.tokens.join(', ')}): its TXT record is ` +
        'published with that key, not listed here.\n',
    );
  }
  if (records.length === 0) return;
  out(
    identity.verifiedForSending
      ? 'Its DNS records, which must stay published (SES checks them again from time to time):\n'
      : `Publish these DNS records in the zone of ${identity.domain}:\n`,
  );
  printTable(
    context.io,
    ['TYPE', 'NAME', 'VALUE'],
    records.map((record) => [record.type, record.name, recordValueText(record)]),
  );
  if (!identity.verifiedForSending) {
    out(
      `SES looks for them for up to 72 hours; \`npm run ops -- ses status --state ${target.stateCode}\` says ` +
        'when it has found them.\n',
    );
  }
}

function statusFields(
  target: SesTarget,
  identity: DomainIdentity | undefined,
  account: SendingAccount,
  configurationSet: { readonly name: string; readonly exists: boolean },
): [string, string][] {
  const count = (value: number) => value.toLocaleString('en-US');
  const review = account.review
    ? `, last request ${account.review.status}${account.review.caseId ? ` (case ${account.review.caseId})` : ''}`
    : '';
  return [
    ['sender', target.sender],
    [
      'identity',
      identity
        ? `${identity.domain}: verification ${identity.verificationStatus}, DKIM ${identity.dkim.status}`
        : `none for ${target.domain} in ${target.region}`,
    ],
    ...(identity?.mailFrom
      ? [['MAIL FROM', `${identity.mailFrom.domain}: ${identity.mailFrom.status}`] as [string, string]]
      : []),
    ['production access', `${account.productionAccess ? 'yes' : 'no (sandbox)'}${review}`],
    [
      'send quota',
      `${count(account.max24HourSend)} a day (${count(account.sentLast24Hours)} sent in the last 24 hours)`,
    ],
    ['max send rate', `${count(account.maxSendRate)} a second`],
    ['sending', account.sendingEnabled ? 'enabled' : 'paused'],
    ['enforcement', account.enforcementStatus],
    ['configuration set', `${configurationSet.name}: ${configurationSet.exists ? 'exists' : 'missing'}`],
  ];
}

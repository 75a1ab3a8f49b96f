/**
 * Whether a state can e-mail its digests to anyone, judged from what SES says of its sender domain, its account
 * and its stack's configuration set, with the one thing to do next. `ses status` exits 1 unless the state is
 * ready, so that a deployment script can wait on it. Pure.
 */
import { stackName } from '../stack-contract';
import type { DomainIdentity, SendingAccount } from './ses-account';

/** What stands between a state and its subscribers, the first one found; `ready` when nothing does. */
export type ReadinessKind =
  | 'identity-missing'
  | 'identity-unverified'
  | 'sending-paused'
  | 'configuration-set-missing'
  | 'sandbox'
  | 'ready';

export interface Readiness {
  readonly kind: ReadinessKind;
  readonly ready: boolean;
  /** One line: what the state can send now. */
  readonly summary: string;
  /** What to do next; absent when ready. */
  readonly nextStep?: string;
}

/** Everything `ses status` reads of a state's SES set-up. */
export interface SesSetup {
  readonly stateCode: string;
  readonly region: string;
  /** The domain of the state's sender address. */
  readonly domain: string;
  /** Absent when the account has no identity for the domain in the region. */
  readonly identity: DomainIdentity | undefined;
  readonly account: SendingAccount;
  readonly configurationSet: { readonly name: string; readonly exists: boolean };
}

const count = new Intl.NumberFormat('en-US');

/** The quota of the account as a phrase: "200 a day, 1 a second". */
const quotaOf = (account: SendingAccount) =>
  `${count.format(account.max24HourSend)} a day, ${count.format(account.maxSendRate)} a second`;

/**
 * The verdict on a state's set-up. The checks go in the order of the runbook's steps that take longest to
 * clear: the identity and its DNS records first, the account's state, the stack, then production access.
 */
export function judgeReadiness(setup: SesSetup): Readiness {
  const { stateCode, region, domain, identity, account, configurationSet } = setup;
  const ops = 'npm run ops -- ses';
  if (!identity) {
    return {
      kind: 'identity-missing',
      ready: false,
      summary: `no SES identity for ${domain} in ${region} yet`,
      nextStep: `create it and get its DNS records: ${ops} setup --state ${stateCode}`,
    };
  }
  if (!identity.verifiedForSending) {
    return {
      kind: 'identity-unverified',
      ready: false,
      summary: `identity ${domain} not verified yet (verification ${identity.verificationStatus}, DKIM ${identity.dkim.status})`,
      nextStep:
        `publish the DNS records that \`${ops} setup --state ${stateCode}\` prints; SES looks for them for up ` +
        'to 72 hours',
    };
  }
  if (!account.sendingEnabled || account.enforcementStatus === 'SHUTDOWN') {
    return {
      kind: 'sending-paused',
      ready: false,
      summary: `sending is paused for the account in ${region} (enforcement status ${account.enforcementStatus})`,
      nextStep:
        "see the account's reputation page in the SES console; a shut-down account resumes through AWS Support",
    };
  }
  if (!configurationSet.exists) {
    const stack = stackName(stateCode);
    return {
      kind: 'configuration-set-missing',
      ready: false,
      summary: `the stack's configuration set ${configurationSet.name} does not exist in ${region}`,
      nextStep: `deploy the stack: npm run cdk -- deploy ${stack} -c state=${stateCode}`,
    };
  }
  if (!account.productionAccess) {
    return {
      kind: 'sandbox',
      ready: false,
      summary: `sandbox: sends only to verified addresses and the mailbox simulator, ${quotaOf(account)}`,
      nextStep: sandboxNextStep(account, stateCode),
    };
  }
  const enforcementNote =
    account.enforcementStatus === 'HEALTHY' ? '' : ` (enforcement status ${account.enforcementStatus})`;
  return {
    kind: 'ready',
    ready: true,
    summary: `ready to send to anyone: ${quotaOf(account)}${enforcementNote}`,
  };
}

/** What to do in the sandbox, given the last request for production access. */
function sandboxNextStep(account: SendingAccount, stateCode: string): string {
  const review = account.review;
  const caseNote = review?.caseId ? ` (case ${review.caseId})` : '';
  if (review?.status === 'PENDING') {
    return `wait for AWS's review of the request for production access${caseNote}, usually within a day`;
  }
  const request =
    `npm run ops -- ses request-production-access --state ${stateCode} --website-url <url> ` +
    "--use-case '<what the digests are>'";
  if (review?.status === 'DENIED' || review?.status === 'FAILED') {
    return `AWS answered the last request ${review.status}${caseNote}: reply to the case in the AWS Support Center, or ${request}`;
  }
  return `request production access: ${request}`;
}

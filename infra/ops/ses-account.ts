/**
 * What the `ses` commands read and change in SES v2, for one account and region: the sender domain's identity,
 * the account's sending status, the stack's configuration set, and the request for production access. Answers are
 * plain shapes, so that the rest (records, verdict, printing) is tested without SES.
 */
import {
  AlreadyExistsException,
  CreateEmailIdentityCommand,
  type CreateEmailIdentityCommandInput,
  type DkimAttributes,
  GetAccountCommand,
  GetConfigurationSetCommand,
  GetEmailIdentityCommand,
  type MailFromAttributes,
  NotFoundException,
  PutAccountDetailsCommand,
  type PutAccountDetailsCommandInput,
  PutEmailIdentityMailFromAttributesCommand,
  type SESv2Client,
} from '@aws-sdk/client-sesv2';

/** A domain identity as the `ses` commands use it. */
export interface DomainIdentity {
  readonly domain: string;
  /** SUCCESS once SES has found the DKIM records; PENDING while it looks (up to 72 hours), then FAILED. */
  readonly verificationStatus: string;
  /** Whether SES sends from the identity now (it stays true through a TEMPORARY_FAILURE). */
  readonly verifiedForSending: boolean;
  readonly dkim: {
    readonly status: string;
    /** AWS_SES for Easy DKIM, EXTERNAL for a key of the agency's own (BYODKIM), AWS_SES_<REGION> for a replica. */
    readonly origin: string;
    /** Easy DKIM's three tokens, or BYODKIM's selector. */
    readonly tokens: readonly string[];
    /** The zone the CNAMEs point into, when SES names one. */
    readonly signingHostedZone?: string;
  };
  readonly mailFrom?: { readonly domain: string; readonly status: string };
}

/** The account's sending status in the region. */
export interface SendingAccount {
  /** False in the sandbox: mail only to verified addresses and the mailbox simulator. */
  readonly productionAccess: boolean;
  /** False when AWS (or someone) paused the account's sending. */
  readonly sendingEnabled: boolean;
  /** HEALTHY, PROBATION or SHUTDOWN. */
  readonly enforcementStatus: string;
  readonly max24HourSend: number;
  /** Messages a second. */
  readonly maxSendRate: number;
  readonly sentLast24Hours: number;
  /** The last request for production access, if any. */
  readonly review?: { readonly status: string; readonly caseId?: string };
}

/** What a request for production access tells AWS's reviewers. */
export interface ProductionAccessRequest {
  readonly websiteUrl: string;
  readonly useCase: string;
  /** Further addresses AWS writes to about the account's SES matters. */
  readonly contacts: readonly string[];
}

/** The tags of an identity the CLI creates, as the stack tags its resources. */
const identityTags = (stateCode: string) => [
  { Key: 'application', Value: 'vision-progress' },
  { Key: 'state', Value: stateCode },
];

export class SesAccount {
  constructor(private readonly client: SESv2Client) {}

  /** The identity of `domain`; undefined when the account has none in the region. */
  async identity(domain: string): Promise<DomainIdentity | undefined> {
    try {
      const found = await this.client.send(new GetEmailIdentityCommand({ EmailIdentity: domain }));
      return domainIdentity(domain, {
        verificationStatus: found.VerificationStatus,
        verifiedForSending: found.VerifiedForSendingStatus,
        dkim: found.DkimAttributes,
        mailFrom: found.MailFromAttributes,
      });
    } catch (error) {
      if (error instanceof NotFoundException) return undefined;
      throw error;
    }
  }

  /**
   * Creates the identity of `domain` with Easy DKIM and a 2048-bit key (mailbox providers accept 1024 bits, but
   * 2048 is what they recommend, and SES rotates the key itself). Another run that created it first is not an
   * error: its identity is read back.
   */
  async createDomainIdentity(domain: string, stateCode: string): Promise<DomainIdentity> {
    const input: CreateEmailIdentityCommandInput = {
      EmailIdentity: domain,
      DkimSigningAttributes: { NextSigningKeyLength: 'RSA_2048_BIT' },
      Tags: identityTags(stateCode),
    };
    try {
      const created = await this.client.send(new CreateEmailIdentityCommand(input));
      // the answer has no verification status: a new identity is pending until SES finds its records
      return domainIdentity(domain, {
        verificationStatus: created.VerifiedForSendingStatus ? 'SUCCESS' : 'PENDING',
        verifiedForSending: created.VerifiedForSendingStatus,
        dkim: created.DkimAttributes,
      });
    } catch (error) {
      if (!(error instanceof AlreadyExistsException)) throw error;
      const existing = await this.identity(domain);
      if (!existing) throw error;
      return existing;
    }
  }

  /**
   * Sets the identity's custom MAIL FROM domain. Until its MX record is found, SES keeps sending with its own
   * MAIL FROM (USE_DEFAULT_VALUE) rather than refusing the digests.
   */
  async setMailFromDomain(domain: string, mailFromDomain: string): Promise<void> {
    await this.client.send(
      new PutEmailIdentityMailFromAttributesCommand({
        EmailIdentity: domain,
        MailFromDomain: mailFromDomain,
        BehaviorOnMxFailure: 'USE_DEFAULT_VALUE',
      }),
    );
  }

  /** The account's sending status in the client's region. */
  async account(): Promise<SendingAccount> {
    const account = await this.client.send(new GetAccountCommand({}));
    const review = account.Details?.ReviewDetails;
    return {
      productionAccess: account.ProductionAccessEnabled ?? false,
      sendingEnabled: account.SendingEnabled ?? false,
      enforcementStatus: account.EnforcementStatus ?? 'UNKNOWN',
      max24HourSend: account.SendQuota?.Max24HourSend ?? 0,
      maxSendRate: account.SendQuota?.MaxSendRate ?? 0,
      sentLast24Hours: account.SendQuota?.SentLast24Hours ?? 0,
      ...(review?.Status
        ? { review: { status: review.Status, ...(review.CaseId ? { caseId: review.CaseId } : {}) } }
        : {}),
    };
  }

  /** Whether the configuration set `name` exists in the region. */
  async configurationSetExists(name: string): Promise<boolean> {
    try {
      await this.client.send(new GetConfigurationSetCommand({ ConfigurationSetName: name }));
      return true;
    } catch (error) {
      if (error instanceof NotFoundException) return false;
      throw error;
    }
  }

  /**
   * Asks AWS for production access for transactional mail (each digest goes to one subscriber who asked for it),
   * and resolves what was sent. AWS reviews the request, usually within a day, and answers by e-mail.
   */
  async requestProductionAccess(request: ProductionAccessRequest): Promise<PutAccountDetailsCommandInput> {
    const input: PutAccountDetailsCommandInput = {
      MailType: 'TRANSACTIONAL',
      WebsiteURL: request.websiteUrl,
      UseCaseDescription: request.useCase,
      ...(request.contacts.length > 0 ? { AdditionalContactEmailAddresses: [...request.contacts] } : {}),
      ContactLanguage: 'EN',
      ProductionAccessEnabled: true,
    };
    await this.client.send(new PutAccountDetailsCommand(input));
    return input;
  }
}

function domainIdentity(
  domain: string,
  found: {
    verificationStatus: string | undefined;
    verifiedForSending: boolean | undefined;
    dkim: DkimAttributes | undefined;
    mailFrom?: MailFromAttributes | undefined;
  },
): DomainIdentity {
  const { dkim, mailFrom } = found;
  return {
    domain,
    verificationStatus: found.verificationStatus ?? 'NOT_STARTED',
    verifiedForSending: found.verifiedForSending ?? false,
    dkim: {
      status: dkim?.Status ?? 'NOT_STARTED',
      origin: dkim?.SigningAttributesOrigin ?? 'AWS_SES',
      tokens: dkim?.Tokens ?? [],
      ...(dkim?.SigningHostedZone ? { signingHostedZone: dkim.SigningHostedZone } : {}),
    },
    ...(mailFrom?.MailFromDomain
      ? { mailFrom: { domain: mailFrom.MailFromDomain, status: mailFrom.MailFromDomainStatus ?? 'PENDING' } }
      : {}),
  };
}

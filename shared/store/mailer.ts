/**
 * Sending one e-mail through SES v2: HTML and plain-text parts, custom headers (List-Unsubscribe) and the
 * state's configuration set, whose event destination reports bounces and complaints.
 *
 * The send rate stays within the account's quota in two ways: each sender paces itself to its share of the
 * quota (the token bucket below), and SES throttling (`TooManyRequestsException`) is retried with backoff by the
 * client's adaptive retry mode, which also slows the client down (shared/runtime/ses.ts). A send that still
 * fails throws: the digest job is retried, and the ledger keeps it from going out twice.
 */
import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';

export interface OutgoingEmail {
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  readonly headers?: readonly { readonly name: string; readonly value: string }[];
  /**
   * Message tags (SES `EmailTags`): SES hands them back in the bounce and complaint events of the configuration
   * set, which is how an event finds its subscriber without an address lookup. Names and values: [A-Za-z0-9_-].
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Spaces sends so that no more than `ratePerSecond` start in any second, on average. */
export class SendPacer {
  #nextSlot = 0;

  constructor(
    private readonly ratePerSecond: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    if (!(ratePerSecond > 0)) throw new RangeError(`a send rate must be positive, got ${ratePerSecond}`);
  }

  /** Resolves when the next send may start. */
  async wait(): Promise<void> {
    const interval = 1_000 / this.ratePerSecond;
    const now = this.now();
    const slot = Math.max(now, this.#nextSlot);
    this.#nextSlot = slot + interval;
    if (slot > now) await this.sleep(slot - now);
  }
}

export class SesMailer {
  constructor(
    private readonly client: SESv2Client,
    private readonly pacer: SendPacer,
    /** The configuration set whose event destination reports bounces and complaints; none locally. */
    private readonly configurationSet?: string,
  ) {}

  /** Sends the e-mail; resolves SES's message id. */
  async send(email: OutgoingEmail): Promise<string> {
    await this.pacer.wait();
    const { MessageId: messageId } = await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: email.from,
        Destination: { ToAddresses: [email.to] },
        Content: {
          Simple: {
            Subject: { Data: email.subject, Charset: 'UTF-8' },
            Body: {
              Html: { Data: email.html, Charset: 'UTF-8' },
              Text: { Data: email.text, Charset: 'UTF-8' },
            },
            Headers: email.headers?.map(({ name, value }) => ({ Name: name, Value: value })),
          },
        },
        ...(email.tags
          ? { EmailTags: Object.entries(email.tags).map(([Name, Value]) => ({ Name, Value })) }
          : {}),
        ...(this.configurationSet ? { ConfigurationSetName: this.configurationSet } : {}),
      }),
    );
    if (!messageId) throw new Error('SES accepted the e-mail without a message id');
    return messageId;
  }
}

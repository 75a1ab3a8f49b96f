/**
 * The DNS records a state's agency publishes so that SES may send its digests: the three Easy DKIM CNAMEs, which
 * verify the domain and let SES sign for it, and, for a custom MAIL FROM domain, its MX (where receivers send
 * bounces, which SES then reports through the configuration set) and SPF TXT (so that SPF passes aligned with the
 * From domain, which DMARC looks for). Pure: the tokens and names come from SES.
 */

/** A DNS record as a DNS console asks for it: the name without a trailing dot. */
export interface DnsRecord {
  /** What the record is for. */
  readonly purpose: 'dkim' | 'mail-from';
  readonly type: 'CNAME' | 'MX' | 'TXT';
  readonly name: string;
  /** The target (CNAME), the mail server (MX) or the text, unquoted (TXT). */
  readonly value: string;
  /** MX only. */
  readonly priority?: number;
}

/** Where Easy DKIM's public keys live when SES names no zone of its own for the identity. */
const DEFAULT_DKIM_ZONE = 'dkim.amazonses.com';

/** The preference SES's documentation gives the MAIL FROM domain's MX record; any value works, there is one. */
const MAIL_FROM_MX_PRIORITY = 10;

/** The SPF policy of a MAIL FROM domain that only SES sends from. */
const MAIL_FROM_SPF = 'v=spf1 include:amazonses.com ~all';

/**
 * The Easy DKIM CNAMEs of `domain`: `<token>._domainkey.<domain>` → `<token>.<zone>`, where the zone is the one
 * SES names for the identity (`SigningHostedZone`; some regions have their own), else dkim.amazonses.com.
 */
export function dkimRecords(
  domain: string,
  tokens: readonly string[],
  signingHostedZone: string = DEFAULT_DKIM_ZONE,
): DnsRecord[] {
  return tokens.map((token) => ({
    purpose: 'dkim',
    type: 'CNAME',
    name: `${token}._domainkey.${domain}`,
    value: `${token}.${signingHostedZone}`,
  }));
}

/** The MX and SPF TXT records of a custom MAIL FROM domain of an identity in `region`. */
export function mailFromRecords(mailFromDomain: string, region: string): DnsRecord[] {
  return [
    {
      purpose: 'mail-from',
      type: 'MX',
      name: mailFromDomain,
      value: `feedback-smtp.${region}.amazonses.com`,
      priority: MAIL_FROM_MX_PRIORITY,
    },
    { purpose: 'mail-from', type: 'TXT', name: mailFromDomain, value: MAIL_FROM_SPF },
  ];
}

/** How a record reads in a zone file, and in most DNS consoles: TXT quoted, MX with its priority. */
export function recordValueText(record: DnsRecord): string {
  if (record.type === 'TXT') return `"${record.value}"`;
  if (record.priority !== undefined) return `${record.priority} ${record.value}`;
  return record.value;
}

/**
 * `--mail-from` as SES takes it, lower-cased, without a trailing dot; undefined unless it is a subdomain of the
 * identity's domain, as SES requires. SES also wants it used for nothing else (no From address, no receiving),
 * which no check can see.
 */
export function normalizeMailFromDomain(value: string, domain: string): string | undefined {
  const candidate = value.trim().toLowerCase().replace(/\.$/, '');
  const label = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
  const isSubdomain =
    candidate.endsWith(`.${domain}`) && candidate.split('.').every((part) => label.test(part));
  return isSubdomain ? candidate : undefined;
}

/**
 * The mail the local stack's SES emulator (aws-ses-v2-local) accepted, as its `GET /store` lists it. The store is
 * in memory: a restart of the stack empties it. `npm run demo` and the tests read it through this module.
 */

/** A message in the SES emulator's store: the fields the demo and the tests read. */
export interface StoredEmail {
  readonly messageId: string;
  readonly from: string;
  readonly destination: { readonly to: readonly string[] };
  readonly subject: string;
  readonly body: { readonly html?: string; readonly text?: string };
  readonly headers?: readonly { readonly name: string; readonly value: string }[];
  /** When the emulator accepted it, in seconds since the epoch. */
  readonly at: number;
}

/** How long the emulator has to answer: it is a local process, so a slow answer means a hung one. */
const STORE_TIMEOUT_MS = 10_000;

/** Every message the SES emulator holds, oldest first; `storeUrl` is its `/store` URL. */
export async function readSentMail(storeUrl: string): Promise<StoredEmail[]> {
  const response = await fetch(storeUrl, { signal: AbortSignal.timeout(STORE_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`the SES emulator's store at ${storeUrl} answered ${response.status}`);
  const { emails } = (await response.json()) as { emails?: StoredEmail[] };
  return emails ?? [];
}

/** The messages the SES emulator holds for `address` (one of their To addresses), oldest first. */
export async function sentTo(storeUrl: string, address: string): Promise<StoredEmail[]> {
  return (await readSentMail(storeUrl)).filter((email) => email.destination.to.includes(address));
}

/**
 * The mail a test stack's SES emulator accepted, read through infra/local/ses-store.ts (which `npm run demo`
 * reads it with too).
 */
import { readSentMail, type StoredEmail, sentTo } from '../../infra/local/ses-store';
import type { TestStack } from './local-stack';

export { readSentMail, type StoredEmail, sentTo };

/** Readers of `stack`'s SES emulator store, resolved when called (after the stack started). */
export function sesStoreOf(stack: TestStack) {
  return {
    /** Every message the emulator holds. */
    read: (): Promise<StoredEmail[]> => readSentMail(stack.info.endpoints.sesStore),
    /** The messages to `address`. */
    sentTo: (address: string): Promise<StoredEmail[]> => sentTo(stack.info.endpoints.sesStore, address),
  };
}

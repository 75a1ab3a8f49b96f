/**
 * `.local/unsubscribe-secret`: the local stack's stand-in for the Secrets Manager secret that signs the
 * unsubscribe links of the digests (shared/runtime/unsubscribe-secrets.ts reads it through
 * `UNSUBSCRIBE_SECRET_FILE`). One secret per line: the first line is the current secret, which signs new links;
 * every line, the later ones being older secrets, is accepted when a link is verified. To rotate by hand, put a
 * new first line above the old one: links in mail already sent keep working until that line is removed.
 *
 * Made at the first start (48 random bytes, base64url) and kept across restarts, so that links in the SES
 * emulator's mail keep working; `npm start -- --fresh` wipes it with the rest of the data.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, writeFile } from 'node:fs/promises';

/** Random bytes of a new secret: 384 bits, beyond any brute force of an HMAC-SHA-256 key. */
const SECRET_BYTES = 48;

/** A new local secret, one line of the file: also what `ops unsubscribe-secret rotate` puts on top. */
export function newLocalUnsubscribeSecret(): string {
  return randomBytes(SECRET_BYTES).toString('base64url');
}

/** Creates the secret file when it is missing, and makes it readable by its owner only. */
export async function ensureUnsubscribeSecret(file: string): Promise<void> {
  if (!existsSync(file)) {
    // `wx`: a concurrent start that made the file first wins, and its secret is kept
    await writeFile(file, `${newLocalUnsubscribeSecret()}\n`, {
      mode: 0o600,
      flag: 'wx',
    }).catch((error: unknown) => {
      if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
    });
  }
  // `mode` applies only when the file is created: an existing, more open file is closed down too
  await chmod(file, 0o600);
}

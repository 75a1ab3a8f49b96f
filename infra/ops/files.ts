/**
 * Files the ops CLI keeps for an operator (the import's checkpoint, the local unsubscribe secret), replaced whole:
 * a crash or a full disk leaves the old file or the new one, never half of one.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Writes `content` to a new file beside `file`, readable by its owner only, then renames it over `file`. */
export async function replaceFile(file: string, content: string): Promise<void> {
  const temporary = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(content);
      // the umask may have narrowed the mode given to open; the file must be exactly 0600
      await handle.chmod(0o600);
      // on disk before the rename, so that a crash leaves the old file or the whole new one
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

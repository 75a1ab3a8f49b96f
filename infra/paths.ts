import { fileURLToPath } from 'node:url';

/** The repository root, whatever the working directory of the process. */
export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** An absolute path from a path relative to the repository root. */
export const fromRoot = (relative: string) => fileURLToPath(new URL(`../${relative}`, import.meta.url));

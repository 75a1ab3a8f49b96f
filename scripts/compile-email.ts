/**
 * Compiles the digest e-mail templates at build time, so that the digest sender carries neither MJML nor the
 * Handlebars compiler:
 *
 * 1. MJML (shared/email/templates/*.mjml) → e-mail-safe HTML (table layout, inline styles, Outlook conditional
 *    comments, a media query for phones), with the Handlebars expressions passed through untouched;
 *    written to shared/email/generated/*.html for review;
 * 2. Handlebars precompiles that HTML (strict: a missing field throws) into shared/email/generated/templates.ts,
 *    which shared/email runs with the small Handlebars runtime. `{{ }}` escapes every value.
 *
 * Run it with `npm run compile:email` after changing a template; test/unit/email-render.test.ts fails while
 * the committed files differ from what this script writes.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import Handlebars from 'handlebars';
import mjml2html from 'mjml';
import { fromRoot } from '../infra/paths';

/** The templates, by the name their precompiled form is exported under. */
export const EMAIL_TEMPLATES = {
  districtDigest: 'district-digest',
  stateRollup: 'state-rollup',
} as const;

const TEMPLATE_DIR = 'shared/email/templates';
const GENERATED_DIR = 'shared/email/generated';

/** Handlebars options shared by the precompiler and the checks in the tests. */
export const HANDLEBARS_OPTIONS = { strict: true, knownHelpersOnly: true } as const;

/** Every generated file (path relative to the repository root → contents) for the current templates. */
export async function compileEmailTemplates(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const specs: string[] = [];
  for (const [exportName, name] of Object.entries(EMAIL_TEMPLATES)) {
    const html = await compileMjml(`${TEMPLATE_DIR}/${name}.mjml`);
    files.set(`${GENERATED_DIR}/${name}.html`, html);
    const spec = Handlebars.precompile(html, HANDLEBARS_OPTIONS);
    specs.push(
      `/** Compiled from ${TEMPLATE_DIR}/${name}.mjml. */\nexport const ${exportName}: TemplateSpecification = ${spec};\n`,
    );
  }
  files.set(`${GENERATED_DIR}/templates.ts`, `${TEMPLATES_HEADER}${specs.join('\n')}`);
  return files;
}

const TEMPLATES_HEADER = `// @ts-nocheck: precompiled Handlebars template specifications
/**
 * The digest e-mail templates, precompiled: written by \`npm run compile:email\` (scripts/compile-email.ts) from
 * shared/email/templates/*.mjml. Edits by hand are lost, and test/unit/email-render.test.ts fails while this
 * file differs from what the script writes.
 */
import type { TemplateSpecification } from 'handlebars';

`;

async function compileMjml(relativePath: string): Promise<string> {
  const filePath = fromRoot(relativePath);
  const source = await readFile(filePath, 'utf8');
  const result = await mjml2html(source, {
    filePath,
    // MJML 5 ignores mj-include unless told otherwise; the templates share their head attributes
    ignoreIncludes: false,
    includePath: fromRoot(TEMPLATE_DIR),
    validationLevel: 'strict',
    fonts: {},
    keepComments: false,
    minify: true,
    minifyOptions: { minifyCss: false },
  });
  // strict validation throws on errors; this catches the warnings a lenient level would let through
  if (result.errors.length > 0) {
    throw new Error(`${relativePath}: ${result.errors.map((e) => e.formattedMessage).join('; ')}`);
  }
  return `${result.html.trim()}\n`;
}

if (import.meta.main) {
  for (const [path, contents] of await compileEmailTemplates()) {
    const file = fromRoot(path);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, contents);
    process.stdout.write(`wrote ${path}\n`);
  }
}

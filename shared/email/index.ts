/**
 * Rendering of the digest e-mails (PRODUCT §6): a model from shared/domain/digest in, subject and the HTML and
 * plain-text parts out. Pure, no AWS; the sender adds the headers and sends.
 *
 * Why MJML + Handlebars, both at build time: MJML is the well-kept way to get HTML that mainstream clients
 * (Outlook's Word engine, Gmail, Apple Mail, phones) render alike — tables, inline styles, Outlook conditional
 * comments, stacking columns on phones — and scripts/compile-email.ts runs it once, at build time. Handlebars
 * then fills the compiled HTML: logic-light templates, `{{ }}` escaping every value by default, strict mode
 * (a missing field throws), and precompiled too, so the Lambda carries only the small Handlebars runtime
 * instead of MJML (megabytes) or React with React Email.
 */
import Handlebars from 'handlebars/runtime';
import type { DistrictDigestModel, StateRollupModel } from '../domain/digest';
import { districtDigest, stateRollup } from './generated/templates';
import { districtDigestText, stateRollupText } from './text';

/** A rendered e-mail. */
export interface RenderedEmail {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

// an isolated environment: nothing registered on the global Handlebars instance can reach these templates
const handlebars = Handlebars.create();
const districtDigestHtml = handlebars.template<DistrictDigestModel>(districtDigest);
const stateRollupHtml = handlebars.template<StateRollupModel>(stateRollup);

/** A district's digest: subject with the district name, HTML and text with the same facts. */
export function renderDistrictDigest(model: DistrictDigestModel): RenderedEmail {
  return { subject: model.subject, html: districtDigestHtml(model), text: districtDigestText(model) };
}

/** The state roll-up for state-wide subscribers: a row per district. */
export function renderStateRollup(model: StateRollupModel): RenderedEmail {
  return { subject: model.subject, html: stateRollupHtml(model), text: stateRollupText(model) };
}

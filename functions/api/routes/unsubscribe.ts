/**
 * `GET`/`POST /v1/unsubscribe?token=`: the link in every digest's List-Unsubscribe header and footer.
 *
 * GET shows a page that asks to confirm, with a button that POSTs to the same URL: mail scanners and link
 * previews fetch links with GET, and must not unsubscribe anybody. POST unsubscribes, for the button and for
 * RFC 8058 one-click (mail clients POST `List-Unsubscribe=One-Click` as a form; the body is not read). Both
 * answer 200 whatever the subscriber's state: unsubscribing twice, or after the subscriber was removed, ends
 * where the first did. A suppressed subscriber stays suppressed (that status says why nothing is sent).
 *
 * No key: the signed token is the authority (shared/domain/unsubscribe-token.ts), and it names ids only. The
 * pages are never cached and send no referrer, so the token does not travel further than the link did.
 */
import Handlebars from 'handlebars/runtime';
import { UnsubscribeQuery } from '../../../shared/contract/digest-run';
import type { Subscriber } from '../../../shared/contract/subscribers';
import { NotFoundError } from '../../../shared/domain/errors';
import type { SubscriberScope } from '../../../shared/domain/subscribers';
import { type UnsubscribeTarget, verifyUnsubscribeToken } from '../../../shared/domain/unsubscribe-token';
import { HttpProblem } from '../../../shared/http/problem';
import { queryOf, validate } from '../../../shared/http/request';
import { html } from '../../../shared/http/response';
import { logger } from '../../../shared/runtime/logger';
import { apiEnvironment } from '../environment';
import { districts, subscribers, unsubscribeSecrets } from '../stores';
import type { ApiRoute } from './types';

const PAGE_HEADERS = {
  'content-security-policy': [
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; '),
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
};

const escapeHtml = Handlebars.Utils.escapeExpression;

async function targetOf(token: string): Promise<UnsubscribeTarget> {
  const { accepted } = await unsubscribeSecrets();
  const target = verifyUnsubscribeToken(token, accepted);
  if (!target) {
    throw new HttpProblem(400, 'The unsubscribe link is not valid: it may have been cut or altered.', {
      errors: [{ path: 'query.token', message: 'is not a valid unsubscribe token' }],
    });
  }
  return target;
}

const scopeOf = (target: UnsubscribeTarget): SubscriberScope =>
  target.districtId === undefined ? { kind: 'state' } : { kind: 'district', districtId: target.districtId };

/** What the digest is called on the pages: the district's, or the state roll-up. */
async function digestName(target: UnsubscribeTarget, subscriber: Subscriber): Promise<string> {
  const subject =
    target.districtId === undefined
      ? `${apiEnvironment.STATE_NAME} districts`
      : ((await districts.get(target.districtId))?.name ?? target.districtId);
  return `the ${subscriber.cadence} digest of ${subject}`;
}

const capitalized = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>
body{margin:0;background:#f4f6f8;font-family:-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#1f2933}
main{max-width:480px;margin:48px auto;padding:32px;background:#fff;border-radius:8px}
h1{font-size:22px;margin:0 0 16px}p{font-size:16px;line-height:1.5}
button{font-size:16px;padding:12px 20px;border:0;border-radius:6px;background:#1d4ed8;color:#fff;cursor:pointer}
</style>
</head>
<body><main><h1>${escapeHtml(title)}</h1>${body}</main></body>
</html>
`;
}

export const unsubscribeRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/v1/unsubscribe',
    handler: async (event) => {
      const { token } = validate(UnsubscribeQuery, queryOf(event), 'query');
      const target = await targetOf(token);
      const subscriber = await subscribers.get(scopeOf(target), target.subscriberId);
      if (subscriber?.status !== 'active') {
        return html(
          200,
          page('You are unsubscribed', '<p>This address gets no further digests from this list.</p>'),
          PAGE_HEADERS,
        );
      }
      const name = await digestName(target, subscriber);
      return html(
        200,
        page(
          'Unsubscribe?',
          `<p>Stop ${escapeHtml(name)} from ${escapeHtml(apiEnvironment.STATE_NAME)} Vision Progress?</p>` +
            // the same URL: the token travels in the query string, as in the link
            `<form method="post" action="?token=${escapeHtml(encodeURIComponent(token))}"><button type="submit">Unsubscribe</button></form>`,
        ),
        PAGE_HEADERS,
      );
    },
  },
  {
    method: 'POST',
    path: '/v1/unsubscribe',
    handler: async (event) => {
      const { token } = validate(UnsubscribeQuery, queryOf(event), 'query');
      const target = await targetOf(token);
      const scope = scopeOf(target);
      const subscriber = await subscribers.get(scope, target.subscriberId);
      if (subscriber?.status === 'active') {
        await subscribers
          .setStatus(scope, target.subscriberId, 'unsubscribed', { onlyFrom: 'active' })
          .catch((error: unknown) => {
            // removed between the read and the write: nothing is sent to it either way
            if (!(error instanceof NotFoundError)) throw error;
          });
        logger.info('subscriber unsubscribed', {
          subscriberId: target.subscriberId,
          districtId: target.districtId,
        });
      }
      const detail = subscriber
        ? `${escapeHtml(capitalized(await digestName(target, subscriber)))} is no longer sent to this address.`
        : 'This address gets no further digests from this list.';
      return html(200, page('You are unsubscribed', `<p>${detail}</p>`), PAGE_HEADERS);
    },
  },
];

/**
 * The rendered digests: the compiled templates are fresh, HTML and text carry the same facts, every client
 * string is escaped, and a suppressed cell's hidden figures appear nowhere.
 */
import { readFile } from 'node:fs/promises';
import { type DefaultTreeAdapterMap, parse } from 'parse5';
import { describe, expect, it } from 'vitest';
import { fromRoot } from '../../infra/paths';
import { compileEmailTemplates } from '../../scripts/compile-email';
import { buildDistrictDigest, buildStateRollup } from '../../shared/domain/digest';
import type { ProgressReport } from '../../shared/domain/progress';
import { renderDistrictDigest, renderStateRollup } from '../../shared/email';
import { TEXT_WIDTH } from '../../shared/email/text';
import { manyMilestones, realisticDigestInput, rollupInput } from '../support/digest-fixtures';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

/** The elements of a parsed document, depth first. */
function elements(node: Node): Element[] {
  const own = 'tagName' in node ? [node as Element] : [];
  const children = 'childNodes' in node ? node.childNodes : [];
  const inTemplate = 'content' in node && node.content ? [node.content as Node] : [];
  return [...own, ...[...children, ...inTemplate].flatMap(elements)];
}

/** What a reader sees of the body: its text, entities decoded, whitespace collapsed. */
function visibleText(html: string): string {
  const body = elements(parse(html)).find((element) => element.tagName === 'body');
  const texts: string[] = [];
  const walk = (node: Node) => {
    if (node.nodeName === '#text' && 'value' in node) texts.push(node.value);
    if ('tagName' in node && (node.tagName === 'style' || node.tagName === 'script')) return;
    if ('childNodes' in node) node.childNodes.forEach(walk);
  };
  if (body) walk(body);
  return normalize(texts.join(' '));
}

const normalize = (text: string) => text.replaceAll('\u00a0', ' ').replace(/\s+/g, ' ').trim();

/** Every string the model prints, but the envelope (subject, preheader) and the link target. */
function facts(model: unknown, key = ''): string[] {
  if (typeof model === 'string')
    return ['subject', 'preheader', 'unsubscribeUrl'].includes(key) ? [] : [model];
  if (Array.isArray(model)) return model.flatMap((item) => facts(item, key));
  if (model !== null && typeof model === 'object') {
    return Object.entries(model).flatMap(([name, value]) => facts(value, name));
  }
  return [];
}

function unsubscribeLinks(html: string): string[] {
  return elements(parse(html))
    .filter((element) => element.tagName === 'a')
    .map((element) => element.attrs.find((attr) => attr.name === 'href')?.value ?? '');
}

describe('the compiled templates', () => {
  it('are what scripts/compile-email.ts makes of the MJML sources (npm run compile:email rewrites them)', async () => {
    const expected = await compileEmailTemplates();

    for (const [path, contents] of expected) {
      expect(await readFile(fromRoot(path), 'utf8'), path).toBe(contents);
    }
  });
});

describe('renderDistrictDigest', () => {
  const model = buildDistrictDigest(realisticDigestInput());
  const email = renderDistrictDigest(model);

  it('has the district name in the subject and the HTML title', () => {
    expect(email.subject).toContain(model.districtName);
    const title = elements(parse(email.html)).find((element) => element.tagName === 'title');
    expect(title?.childNodes.map((node) => ('value' in node ? node.value : '')).join('')).toBe(email.subject);
  });

  it('prints every fact of the model in both the HTML and the text', () => {
    const html = visibleText(email.html);
    const text = normalize(email.text);
    const all = facts(model);

    expect(all.length).toBeGreaterThan(100);
    expect(all.filter((fact) => !html.includes(normalize(fact)))).toEqual([]);
    expect(all.filter((fact) => !text.includes(normalize(fact)))).toEqual([]);
  });

  it('links the unsubscribe URL in the HTML and prints it whole in the text', () => {
    expect(unsubscribeLinks(email.html)).toEqual([model.unsubscribeUrl]);
    expect(email.text.split('\n')).toContain(model.unsubscribeUrl);
  });

  it('wraps the text at 78 characters, but for a URL that cannot be broken', () => {
    const long = email.text.split('\n').filter((line) => line.length > TEXT_WIDTH);

    expect(long).toEqual([model.unsubscribeUrl]);
  });

  it('draws the completion bar as table cells with percentage widths, with the number beside it', () => {
    const cells = elements(parse(email.html)).filter(
      (element) =>
        element.tagName === 'td' && element.attrs.some((a) => a.name === 'bgcolor' && a.value === '#1f7a4d'),
    );
    const widths = cells.map((cell) => cell.attrs.find((attr) => attr.name === 'width')?.value);

    expect(widths[0]).toBe(
      model.milestones.completion.bar ? `${model.milestones.completion.bar.fill}%` : undefined,
    );
    expect(email.html).not.toMatch(/background-image|display:\s*(flex|grid)/);
  });
});

describe('escaping', () => {
  const hostile = {
    district: 'Lincoln <img src=x onerror=alert(1)> "&" Unified',
    title: '<script>alert(1)</script>',
    owner: '</td></tr></table><b>owner</b>',
    condition: '<a href="javascript:alert(1)">Culture</a>',
    competency: "{{unsubscribeUrl}} {{{districtName}}} ' ` =",
    role: '<i>teacher</i>',
  };

  function hostileEmail() {
    const input = realisticDigestInput();
    const [first, ...rest] = manyMilestones();
    const report = input.report;
    return renderDistrictDigest(
      buildDistrictDigest({
        ...input,
        districtName: hostile.district,
        milestones: [{ ...first!, title: hostile.title, owner: hostile.owner }, ...rest],
        report: {
          ...report,
          conditions: report.conditions.map((condition, index) =>
            index === 0 && !('suppressed' in condition)
              ? {
                  ...condition,
                  name: hostile.condition,
                  byRole: { ...condition.byRole, [hostile.role]: { n: 12, mean: 2 } },
                }
              : condition,
          ),
          competencies: report.competencies.map((competency, index) =>
            index === 0 ? { ...competency, name: hostile.competency } : competency,
          ),
        },
      }),
    );
  }

  it('prints every client string as text, never as markup', () => {
    const email = hostileEmail();
    const tags = elements(parse(email.html)).map((element) => element.tagName);
    const text = visibleText(email.html);

    expect(tags).not.toContain('script');
    expect(tags).not.toContain('img');
    expect(tags).not.toContain('b');
    expect(tags).not.toContain('i');
    expect(unsubscribeLinks(email.html)).toHaveLength(1);
    expect(email.html).not.toMatch(/<img|<script|\sonerror=|href="javascript:/i);
    for (const value of [
      hostile.district,
      hostile.title,
      hostile.owner,
      hostile.condition,
      hostile.competency,
    ]) {
      expect(text).toContain(normalize(value));
      expect(email.text).toContain(value);
    }
    expect(text).toContain('<i>teacher</i>'.replace('-', ' '));
  });
});

describe('suppressed cells', () => {
  // hidden figures a careless template or builder could print: each is a number seen nowhere else
  const hidden = [
    '9173',
    '3.14',
    '8642',
    '1.23',
    '2.72',
    '7531',
    '6420',
    '85%',
    '9901',
    '0.08',
    '1.14',
    '7.77',
  ];

  function reportWithHiddenFigures(conditionMean: number): ProgressReport {
    return {
      districtId: 'lincoln-usd',
      asOf: '2026-11-23T12:00:00Z',
      eventsApplied: 50,
      milestones: {
        total: 2,
        byStatus: { not_started: 0, on_track: 1, at_risk: 0, off_track: 0, achieved: 1, cancelled: 0 },
        completionRate: 0.5,
        overdue: 0,
        stale: 0,
        byCondition: {},
      },
      conditions: [
        {
          conditionId: 'culture',
          name: 'Learning Community Culture',
          priority: true,
          responses: 40,
          mean: 2.5,
          byRole: {
            teacher: { n: 40, mean: 2.5 },
            family: { suppressed: true, n: 9173, mean: 3.1517 },
          },
          alignmentGap: null,
        },
        {
          conditionId: 'agency',
          name: 'Collective and Individual Agency',
          priority: true,
          suppressed: true,
          responses: 8642,
          mean: conditionMean,
          alignmentGap: 2.6291,
        },
      ],
      competencies: [
        {
          competencyId: 'creativity',
          name: 'Creativity',
          suppressed: true,
          learnersAssessed: 7531,
          atMastery: 6420,
          masteryRate: 0.8525,
        },
        {
          competencyId: 'collaboration',
          name: 'Collaboration',
          learnersAssessed: 40,
          atMastery: 20,
          masteryRate: 0.5,
          byGroup: {
            ell: { n: 40, masteryRate: 0.5 },
            iep: { suppressed: true, n: 9901, masteryRate: 0.0777 },
          },
        },
      ],
    } as unknown as ProgressReport;
  }

  it('show the wording with the minimum n and none of their figures, in HTML or text, digest or roll-up', () => {
    const input = realisticDigestInput();
    const digest = renderDistrictDigest(
      buildDistrictDigest({
        ...input,
        milestones: [],
        report: reportWithHiddenFigures(1.2345),
        // the last digest showed this condition: current minus previous would reveal the hidden mean
        previous: {
          sentAt: new Date('2026-11-16T12:00:00Z'),
          achievedMilestoneIds: [],
          report: {
            ...reportWithHiddenFigures(0),
            conditions: [
              {
                conditionId: 'agency',
                name: 'Collective and Individual Agency',
                priority: true,
                responses: 20,
                mean: 2,
                byRole: {},
                alignmentGap: null,
              },
            ],
          },
        },
      }),
    );
    const rollup = renderStateRollup(
      buildStateRollup({
        ...rollupInput(),
        districts: [{ districtName: 'Lincoln', report: reportWithHiddenFigures(1.2345) }],
      }),
    );

    for (const part of [digest.html, digest.text, rollup.html, rollup.text]) {
      expect(part).toContain('fewer than 10 responses');
      expect(hidden.filter((figure) => part.includes(figure))).toEqual([]);
    }
  });
});

describe('renderStateRollup', () => {
  const model = buildStateRollup(rollupInput());
  const email = renderStateRollup(model);

  it('has the state name in the subject and a row per district, in both parts', () => {
    expect(email.subject).toContain('Ohio');
    expect(model.rows).toHaveLength(8);
    const html = visibleText(email.html);
    for (const row of model.rows) {
      expect(html).toContain(normalize(row.districtName));
      expect(email.text.split('\n')).toContain(row.districtName);
    }
  });

  it('prints every fact of the model in both the HTML and the text', () => {
    const html = visibleText(email.html);
    const text = normalize(email.text);
    const all = facts(model);

    expect(all.filter((fact) => !html.includes(normalize(fact)))).toEqual([]);
    expect(all.filter((fact) => !text.includes(normalize(fact)))).toEqual([]);
    expect(unsubscribeLinks(email.html)).toEqual([model.unsubscribeUrl]);
    expect(email.text).toContain(model.unsubscribeUrl);
  });
});

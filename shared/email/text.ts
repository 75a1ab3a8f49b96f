/**
 * The plain-text parts of the digests: the same facts as the HTML parts, laid out for a fixed-width reader,
 * wrapped at 78 characters (RFC 5322's advice) except where one word is longer (a URL stays whole so that it
 * can still be followed).
 */
import type {
  BreakdownLine,
  DistrictDigestModel,
  MilestoneList,
  Rate,
  StateRollupModel,
} from '../domain/digest';

/** The longest line the text parts aim for. */
export const TEXT_WIDTH = 78;

const BAR_WIDTH = 30;

/** The district digest as plain text. */
export function districtDigestText(model: DistrictDigestModel): string {
  const { milestones } = model;
  return document([
    [model.districtName, `Vision Progress · ${model.periodLabel}`, `${model.asOf}. ${model.sinceNote}`],
    [
      ...heading('Milestones'),
      `Completion  ${rateLine(milestones.completion)}`,
      milestones.completionDetail,
      `${milestones.overdueCount} · ${milestones.staleCount}`,
    ],
    milestoneList(milestones.achieved),
    milestoneList(milestones.overdue),
    milestoneList(milestones.stale),
    [...heading('Conditions for change'), model.conditionsNote],
    ...model.conditions.map((condition) => [
      condition.priority ? `${condition.name} (${condition.priority})` : condition.name,
      ...pairs(
        [
          ['Mean', condition.mean],
          ['Change', condition.change],
          ['Responses', condition.responses],
          ['Alignment gap', condition.alignmentGap],
        ],
        2,
      ),
      ...breakdown('By role', condition.roles),
    ]),
    [...heading('Portrait of a Graduate'), 'Share of assessed learners at mastery, by competency.'],
    ...model.competencies.map((competency) => [
      competency.name,
      `  ${rateLine(competency.masteryRate)}`,
      ...(competency.learners ? [`  ${competency.learners}`] : []),
      ...breakdown('By group', competency.groups),
    ]),
    footer(model.suppressionNote, `You receive this digest as a subscriber of ${model.districtName}.`, model),
  ]);
}

/** The state roll-up as plain text. */
export function stateRollupText(model: StateRollupModel): string {
  return document([
    [
      `${model.stateName}: progress by district`,
      `Vision Progress · ${model.periodLabel}`,
      `${model.asOf} · ${model.districtCount}`,
    ],
    ['Milestone completion, overdue milestones, and the mean rating of each priority condition.'],
    ...model.rows.map((row) => [
      row.districtName,
      '-'.repeat(Math.min(row.districtName.length, TEXT_WIDTH)),
      `Milestone completion  ${rateLine(row.completion)}`,
      row.overdue,
      ...pairs(
        row.conditions.map((cell) => [cell.label, cell.value]),
        2,
      ),
    ]),
    footer(
      model.suppressionNote,
      `You receive this roll-up as a state-wide subscriber of ${model.stateName}.`,
      model,
    ),
  ]);
}

/** Blocks of lines, each line wrapped, blocks separated by a blank line. */
function document(blocks: readonly (readonly string[])[]): string {
  return `${blocks
    .filter((block) => block.length > 0)
    .map((block) => block.flatMap((line) => wrap(line)).join('\n'))
    .join('\n\n')}\n`;
}

function heading(title: string): string[] {
  return [title.toUpperCase(), '='.repeat(Math.min(title.length, TEXT_WIDTH))];
}

/** `[##########--------------------]  36%`, or the value alone when there is no figure to draw. */
function rateLine(rate: Rate): string {
  if (!rate.bar) return rate.value;
  const filled = Math.round((rate.bar.fill / 100) * BAR_WIDTH);
  // a visible sliver for a rate above zero, a visible gap for one below 100%
  const cells =
    rate.bar.fill > 0 && filled === 0
      ? 1
      : rate.bar.rest > 0 && filled === BAR_WIDTH
        ? BAR_WIDTH - 1
        : filled;
  return `[${'#'.repeat(cells)}${'-'.repeat(BAR_WIDTH - cells)}]  ${rate.value}`;
}

function milestoneList(list: MilestoneList): string[] {
  return [
    list.heading,
    list.note,
    ...list.items.flatMap((item) => [
      `  * ${item.title}`,
      `    ${item.detail}`,
      ...(item.owner ? [`    ${item.owner}`] : []),
    ]),
    ...(list.more ? [`  ${list.more}`] : []),
  ];
}

function breakdown(title: string, lines: readonly BreakdownLine[]): string[] {
  if (lines.length === 0) return [];
  return [
    `  ${title}:`,
    ...pairs(
      lines.map((line) => [line.label, line.value]),
      4,
    ),
  ];
}

/**
 * Label/value lines with the values in one column. A label too long for the column gets a line of its own with
 * the value on the next, so that the values stay aligned.
 */
function pairs(rows: readonly (readonly [string, string | null])[], indent: number): string[] {
  const shown = rows.filter((row): row is readonly [string, string] => row[1] !== null);
  const column = Math.min(Math.max(0, ...shown.map(([label]) => label.length)) + 2, 32);
  const pad = ' '.repeat(indent);
  return shown.flatMap(([label, value]) =>
    label.length + 2 <= column
      ? [`${pad}${label.padEnd(column)}${value}`]
      : [`${pad}${label}`, `${pad}${' '.repeat(column)}${value}`],
  );
}

function footer(note: string, why: string, model: { readonly unsubscribeUrl: string }): string[] {
  return ['-'.repeat(TEXT_WIDTH), note, why, 'Unsubscribe:', model.unsubscribeUrl];
}

/**
 * Wraps one line at {@link TEXT_WIDTH}, continuing with the line's own indentation (plus two spaces after a
 * list bullet). A single word longer than the width stays whole.
 */
export function wrap(line: string, width = TEXT_WIDTH): string[] {
  if (line.length <= width) return [line];
  const indent = /^(\s*(?:\* )?)/.exec(line)?.[1] ?? '';
  const continuation = ' '.repeat(indent.length);
  const words = line.slice(indent.length).split(' ');
  const lines: string[] = [];
  let current = indent;
  for (const word of words) {
    const start = lines.length === 0 ? indent : continuation;
    if (current.length > start.length && current.length + 1 + word.length > width) {
      lines.push(current);
      current = continuation + word;
    } else {
      current = current.length > start.length ? `${current} ${word}` : current + word;
    }
  }
  lines.push(current);
  return lines;
}

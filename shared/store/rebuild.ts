/**
 * Rebuilding the progress aggregates of several districts, or of every district of the state: after a crash,
 * when messages may have been lost between the table and the queue, or on an operator's request.
 */
import type { MetricsStore, RebuildReport } from './aggregates';
import type { DistrictStore } from './districts';

/** Every district id of the state, page by page. */
export async function allDistrictIds(districts: DistrictStore): Promise<string[]> {
  const ids: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await districts.list(100, nextToken);
    ids.push(...page.items.map((district) => district.districtId));
    nextToken = page.nextToken;
  } while (nextToken);
  return ids;
}

/**
 * Rebuilds the districts one after another (a rebuild reads a whole district; one at a time keeps the table's
 * load predictable), reporting each as it finishes.
 */
export async function rebuildDistricts(
  metrics: MetricsStore,
  districtIds: readonly string[],
  onRebuilt: (districtId: string, report: RebuildReport) => void = () => {},
): Promise<Map<string, RebuildReport>> {
  const reports = new Map<string, RebuildReport>();
  for (const districtId of districtIds) {
    const report = await metrics.rebuild(districtId);
    reports.set(districtId, report);
    onRebuilt(districtId, report);
  }
  return reports;
}

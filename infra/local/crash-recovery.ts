/**
 * What the local stack does after a run that did not stop cleanly. In AWS the stream keeps a day of changes and
 * the Pipe resumes from its checkpoint; the local stack's relay resumes too, but a kill can still fall between a
 * write and its relay, or take queued messages with it. So a start that finds the last run's marker rebuilds
 * every district's aggregates from the stored data (PRODUCT §4: every acknowledged write reflected, once), while
 * the workers run: rebuilding is a fold of the same facts, so it agrees with them whatever the interleaving.
 */
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { MetricsStore } from '../../shared/store/aggregates';
import { DistrictStore } from '../../shared/store/districts';
import { allDistrictIds, rebuildDistricts } from '../../shared/store/rebuild';
import type { DataLayout } from './data-dir';

/** Marks the data dir as in use; resolves whether the previous run left its marker (it did not stop cleanly). */
export async function markRunning(layout: DataLayout): Promise<boolean> {
  const crashed = existsSync(layout.runMarker);
  await writeFile(layout.runMarker, `${process.pid}\n`);
  return crashed;
}

/** Removes the marker: the run stopped cleanly. */
export async function clearRunning(layout: DataLayout): Promise<void> {
  await rm(layout.runMarker, { force: true });
}

/** Rebuilds every district; resolves when done, logging what was corrected. */
export async function reconcileAfterCrash(
  tableName: string,
  client: DynamoDBDocumentClient,
  logger: Logger,
): Promise<void> {
  const districtIds = await allDistrictIds(new DistrictStore(tableName, client));
  logger.warn('the last run did not stop cleanly: rebuilding the progress aggregates', {
    districts: districtIds.length,
  });
  let events = 0;
  await rebuildDistricts(new MetricsStore(tableName, client), districtIds, (districtId, report) => {
    events += report.events;
    if (report.events > 0 || report.countersCorrected > 0) {
      logger.warn('district reconciled', { districtId, ...report });
    }
  });
  logger.info('progress aggregates reconciled', { districts: districtIds.length, eventsRecovered: events });
}

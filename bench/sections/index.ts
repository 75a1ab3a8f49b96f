/**
 * Every benchmark section, in the order `npm run bench` runs them: the ones that need no stack first (bundles,
 * rendering), then those that start a local stack, one at a time so that none measures another's load.
 */
import type { BenchSection } from '../types';
import { costSection } from './cost';
import { digestsSection } from './digests';
import { freshnessSection } from './freshness';
import { functionsSection } from './functions';
import { ingestSection } from './ingest';
import { renderSection } from './render';
import { scaleSection } from './scale';

export const sections: readonly BenchSection[] = [
  functionsSection,
  renderSection,
  ingestSection,
  freshnessSection,
  costSection,
  scaleSection,
  digestsSection,
];

/**
 * Every state this repository deploys. Adding a state is adding a file beside this one and a line here.
 */
import me from './me';
import oh from './oh';
import { parseStateConfig, type StateConfig, type StateConfigInput } from './schema';
import xx from './xx';

const sources: Record<string, StateConfigInput> = { 'oh.ts': oh, 'me.ts': me, 'xx.ts': xx };

/** All state configs, validated; throws StateConfigError naming the file and every bad field. */
export function loadStateConfigs(): StateConfig[] {
  return Object.entries(sources).map(([file, input]) => parseStateConfig(input, `infra/config/${file}`));
}

/** One state's config by code (case-insensitive), or an error listing the known ones. */
export function loadStateConfig(code: string): StateConfig {
  const all = loadStateConfigs();
  const found = all.find((config) => config.stateCode === code.toUpperCase());
  if (!found) {
    throw new Error(`unknown state "${code}": known states are ${all.map((c) => c.stateCode).join(', ')}`);
  }
  return found;
}

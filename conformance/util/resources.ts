// Locates the suite's data files (YAML, XML) both from the sources (tsx, vitest) and from the build
// (dist/conformance/..., where tsc does not copy non-TypeScript files: they are read from the package's
// conformance/ folder instead).

import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url)); // .../conformance/util or .../dist/conformance/util
const conformanceDir = path.dirname(here);

/** Absolute path of `relative` (e.g. `targets/mock.yaml`) inside the conformance folder. */
export function resourcePath(relative: string): string {
  const direct = path.join(conformanceDir, relative);
  if (existsSync(direct)) return direct;
  const fromDist = path.join(conformanceDir, '..', '..', 'conformance', relative);
  return existsSync(fromDist) ? fromDist : direct;
}

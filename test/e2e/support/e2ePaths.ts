import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project folder (package.json, sightline.vsix). */
export const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Where scripts/e2e-setup.sh puts code-server (and playwright-core, until the project has it). */
export const E2E_TOOLS_DIR = path.join(PROJECT_ROOT, '.e2e');

export const CODE_SERVER_BIN = process.env.SIGHTLINE_E2E_CODE_SERVER ?? path.join(E2E_TOOLS_DIR, 'code-server', 'node_modules', '.bin', 'code-server');

export const CHROMIUM_BIN = process.env.SIGHTLINE_E2E_CHROMIUM ?? '/usr/bin/chromium';

/** Screenshots the scenarios save for people to look at, and what a failing test leaves behind. */
export const RESULTS_DIR = path.join(PROJECT_ROOT, 'test-results', 'e2e');

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * playwright-core comes from the project's devDependencies; on a machine where only
 * scripts/e2e-setup.sh ran, from .e2e/node_modules instead.
 */
function playwrightCoreAlias(): Record<string, string> {
  try {
    createRequire(path.join(projectRoot, 'package.json')).resolve('playwright-core');
    return {};
  } catch {
    const local = path.join(projectRoot, '.e2e', 'node_modules', 'playwright-core');
    return existsSync(local) ? { 'playwright-core': local } : {};
  }
}

/**
 * The end-to-end tests: the packaged extension in a real VS Code (code-server) driven through
 * Chromium. One file at a time in one fork: each file starts its own code-server and browser,
 * and the machine has two cores.
 */
export default defineConfig({
  root: projectRoot,
  resolve: { alias: playwrightCoreAlias() },
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    globalSetup: ['test/e2e/support/globalSetup.ts'],
    testTimeout: 120_000,
    hookTimeout: 240_000,
    teardownTimeout: 30_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    sequence: { concurrent: false },
    // One retry: a real browser on a loaded 2-core machine occasionally drops an input event.
    retry: 1,
    reporters: ['default'],
  },
});

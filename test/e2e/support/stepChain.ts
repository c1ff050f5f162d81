import { beforeEach } from 'vitest';
import type { SightlineE2e } from './sightlineE2e';

/**
 * For a describe block whose tests are steps of one session: after a step fails on its last try,
 * the later ones are skipped (they would only time out), and every failed try leaves a
 * screenshot and the logs under test-results/e2e named `<prefix>-<test name>`. A first try that
 * fails does not break the chain: its retry still runs.
 */
export function stepsOfOneSession(prefix: string, world: () => SightlineE2e | undefined): void {
  let broken: string | undefined;
  beforeEach(({ task, onTestFailed, skip }) => {
    if (broken) skip(`an earlier step failed: ${broken}`);
    // Known defects (it.fails) fail on purpose: no failure report for them.
    if (task.fails) return;
    onTestFailed(async () => {
      const retries = typeof task.retry === 'number' ? task.retry : (task.retry?.count ?? 0);
      if ((task.result?.retryCount ?? 0) >= retries) broken = task.name;
      await world()?.saveFailure(`${prefix}-${task.name.replace(/\W+/g, '-').slice(0, 60)}`);
    });
  });
}

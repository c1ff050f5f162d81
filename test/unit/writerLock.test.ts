import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireWriterLock, IndexBusyError } from '../../src/core/index/store/writerLock';
import { PROJECT_ROOT } from '../support/process/cliBundle';

/**
 * The writer lock between processes: a holder is named to whoever waits, a holder killed with
 * SIGKILL never blocks anyone, and a waiter gets the lock as soon as the holder lets go.
 */

let scratch: string;
let holderScript: string;

beforeAll(async () => {
  scratch = await fs.mkdtemp(path.join(tmpdir(), 'sightline-lock-'));
  holderScript = path.join(scratch, 'holder.cjs');
  // A process that takes the lock, says so, and holds it until killed or told to let go.
  await fs.writeFile(
    path.join(scratch, 'holder.ts'),
    `import { acquireWriterLock } from ${JSON.stringify(path.join(PROJECT_ROOT, 'src/core/index/store/writerLock'))};
     const timer = setInterval(() => undefined, 1000);
     acquireWriterLock(process.argv[2]!, { holderDescription: 'test holder' }).then((lock) => {
       process.stdout.write('held\\n');
       process.stdin.once('data', () => void lock.release().then(() => { clearInterval(timer); process.stdout.write('released\\n'); }));
     });`,
  );
  await build({ entryPoints: [path.join(scratch, 'holder.ts')], outfile: holderScript, bundle: true, platform: 'node', format: 'cjs', logLevel: 'silent' });
});
afterAll(async () => {
  await fs.rm(scratch, { recursive: true, force: true });
});

function startHolder(dir: string) {
  const child = spawn(process.execPath, [holderScript, dir], { stdio: ['pipe', 'pipe', 'inherit'] });
  let output = '';
  const said = (word: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => output.includes(word) && resolve();
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        check();
      });
      child.once('exit', () => (output.includes(word) ? resolve() : reject(new Error(`holder exited before saying ${word}`))));
      check();
    });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, said, exited };
}

async function newFolder(name: string): Promise<string> {
  const dir = path.join(scratch, name);
  await fs.mkdir(dir);
  return dir;
}

describe('writer lock', { timeout: 30_000 }, () => {
  it('lets one holder in at a time, also within one process', async () => {
    const dir = await newFolder('one-process');
    const lock = await acquireWriterLock(dir);
    const refused = await acquireWriterLock(dir, { wait: false }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(IndexBusyError);
    expect((refused as IndexBusyError).holder.pid).toBe(process.pid);
    await lock.release();
    await (await acquireWriterLock(dir, { wait: false })).release();
  });

  it('names the holding process to a writer that cannot wait', async () => {
    const dir = await newFolder('named');
    const holder = startHolder(dir);
    await holder.said('held');
    const refused = (await acquireWriterLock(dir, { wait: false }).catch((error: unknown) => error)) as IndexBusyError;
    expect(refused).toBeInstanceOf(IndexBusyError);
    expect(refused.holder).toEqual({ pid: holder.child.pid, what: 'test holder' });
    expect(refused.message).toContain(`pid ${holder.child.pid}, test holder`);
    holder.child.kill('SIGKILL');
    await holder.exited;
  });

  it('is free at once after its holder is killed with SIGKILL', async () => {
    const dir = await newFolder('killed');
    const holder = startHolder(dir);
    await holder.said('held');
    holder.child.kill('SIGKILL');
    await holder.exited;
    const started = performance.now();
    const lock = await acquireWriterLock(dir, { wait: false });
    expect(performance.now() - started).toBeLessThan(1000);
    await lock.release();
  });

  it('keeps a waiting writer waiting, told who it waits for, until the holder lets go', async () => {
    const dir = await newFolder('waiting');
    const holder = startHolder(dir);
    await holder.said('held');
    const waitedFor: Array<number | undefined> = [];
    let got = false;
    const waiting = acquireWriterLock(dir, { onWait: (h) => waitedFor.push(h.pid) }).then((lock) => {
      got = true;
      return lock;
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(got).toBe(false);
    expect(waitedFor).toEqual([holder.child.pid]);
    holder.child.stdin.write('go\n');
    await holder.said('released');
    const lock = await waiting;
    expect(got).toBe(true);
    await lock.release();
    holder.child.kill('SIGKILL');
    await holder.exited;
  });

  it('gives up waiting when its signal aborts', async () => {
    const dir = await newFolder('aborted');
    const lock = await acquireWriterLock(dir);
    const controller = new AbortController();
    const waiting = acquireWriterLock(dir, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('cancelled by the user')), 100);
    await expect(waiting).rejects.toThrow('cancelled by the user');
    await lock.release();
  });
});

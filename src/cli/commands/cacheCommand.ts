import * as path from 'node:path';
import { exportSharedCache } from '../../core/index/sharedCache/exportSharedCache';
import { CACHE_FILE_EXTENSION } from '../../core/index/sharedCache/openSharedCache';
import { SharedCacheError } from '../../core/index/sharedCache/sharedCacheError';
import { megabytes, SharedCacheFile } from '../../core/index/sharedCache/sharedCacheFile';
import { IndexStore } from '../../core/index/store/indexStore';
import { cacheIdentityFrom } from '../../core/settings/sightlineSettings';
import type { CliArguments } from '../cliArguments';
import { type CliOutput, indexDirFor, openExistingIndex, resolveRoot, settingsFrom } from '../cliContext';
import { cacheMaxBytes } from '../cliSharedCache';
import { printable } from '../terminalText';
import { UsageError } from '../usageError';

/** `sightline cache export FILE` and `sightline cache info FILE`. */
export async function cacheCommand(args: CliArguments, output: CliOutput): Promise<number> {
  const [action, file, ...rest] = args.positionals;
  if ((action !== 'export' && action !== 'info') || !file || rest.length) {
    throw new UsageError('use "sightline cache export FILE" or "sightline cache info FILE"');
  }
  return action === 'export' ? exportCommand(args, path.resolve(file), output) : infoCommand(args, path.resolve(file), output);
}

async function exportCommand(args: CliArguments, file: string, output: CliOutput): Promise<number> {
  const root = resolveRoot(args.root);
  const dir = indexDirFor(args, root);
  const relative = path.relative(dir, file);
  if (!relative.startsWith('..') && !path.isAbsolute(relative)) {
    throw new UsageError(`${file} is inside the index folder ${dir}: write the cache somewhere else`);
  }
  const { store, settings } = await openExistingIndex(args, root);
  try {
    const result = await exportSharedCache(store, cacheIdentityFrom(settings), file, { withText: args.withText }).catch((error: unknown) => {
      const code = (error as NodeJS.ErrnoException).code;
      throw code ? new UsageError(`cannot write ${file} (${code}: ${(error as Error).message})`) : error;
    });
    const perEntry = result.entries ? Math.round(result.bytes / result.entries) : 0;
    if (args.json) {
      output.out(`${JSON.stringify({ file, ...result, bytesPerEntry: perEntry, withText: args.withText }, null, 2)}\n`);
    } else {
      output.out(
        `Exported ${result.entries} entries (${result.vectorDims}-value float16 vectors of ${printable(store.model)}) to ${printable(file)}: ` +
          `${megabytes(result.bytes)}, ${perEntry} bytes per entry${args.withText ? ', with file paths and text' : ', no file paths or text'}.\n` +
          (result.skipped ? `${result.skipped} vectors failed the checks and were left out.\n` : '') +
          (file.endsWith(CACHE_FILE_EXTENSION) ? '' : `A folder given to --cache reads only files ending in ${CACHE_FILE_EXTENSION}.\n`),
      );
    }
    return 0;
  } finally {
    await store.close();
  }
}

/** What a cache file says about itself, and whether it fits the index here (or the settings given). */
async function infoCommand(args: CliArguments, file: string, output: CliOutput): Promise<number> {
  const root = resolveRoot(args.root);
  const manifest = await IndexStore.readManifest(indexDirFor(args, root)).catch(() => undefined);
  const settings = settingsFrom(args, manifest);
  let fits: { usable: number; skipped: number } | { problem: string };
  let header;
  try {
    const cache = await SharedCacheFile.open(file, cacheIdentityFrom(settings), {
      maxBytes: cacheMaxBytes(args),
      ...(manifest?.vectorDims ? { vectorDims: manifest.vectorDims } : {}),
    });
    header = cache.header;
    fits = { usable: cache.size, skipped: cache.skipped };
    await cache.close();
  } catch (error) {
    if (!(error instanceof SharedCacheError)) throw error;
    if (!error.foreign) throw new UsageError(error.message);
    header = await SharedCacheFile.readHeader(file);
    fits = { problem: error.message };
  }
  if (args.json) {
    output.out(`${JSON.stringify({ file, header, ...fits }, null, 2)}\n`);
  } else {
    const { shape } = header;
    output.out(
      `${printable(file)}: ${header.count} entries, created ${printable(header.createdAt)}\n` +
        `Model: ${printable(header.model)} (${header.dimensions === 'full' ? 'full size' : `${header.dimensions} dimensions`}, ${header.vectorDims}-value float16 vectors)\n` +
        `Request shape: text ${shape.textFormat}, system message ${onOff(shape.systemMessage)}, assistant turn ${onOff(shape.assistantTurn)}, ` +
        `continue_final_message ${onOff(shape.continueFinalMessage)}, add_special_tokens ${onOff(shape.addSpecialTokens)}\n` +
        `Text: ${header.textBytes ? `file paths and text (${header.textBytes} bytes)` : 'none'}\n` +
        ('problem' in fits
          ? `Does not fit ${manifest ? 'this index' : 'these settings'}: ${printable(fits.problem)}\n`
          : `Fits ${manifest ? 'this index' : 'these settings'}: ${fits.usable} entries usable${fits.skipped ? `, ${fits.skipped} fail the checks and would be skipped` : ''}\n`),
    );
  }
  return 0;
}

function onOff(value: boolean): string {
  return value ? 'on' : 'off';
}

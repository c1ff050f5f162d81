import * as vscode from 'vscode';
import { CACHE_MEGABYTES_RANGE, clampToRange, DIMENSIONS_RANGE, PDF_PAGES_RANGE, PIXEL_BUDGET_RANGE } from '../core/settings/settingLimits';
import { DEFAULT_SETTINGS, type SightlineSettings } from '../core/settings/sightlineSettings';

/**
 * Reads the `sightline.*` settings. Where data is sent (endpoint, model, request shape) is
 * declared with machine scope in package.json, and read here with `inspect` from the user and
 * remote levels only, so a repository's .vscode/settings.json can never redirect uploads.
 */
export function readSettings(): SightlineSettings {
  const config = vscode.workspace.getConfiguration('sightline');
  const machine = <T>(key: string, fallback: T): T => {
    const inspected = config.inspect<T>(key);
    return inspected?.globalValue ?? inspected?.defaultValue ?? fallback;
  };
  const dimensions = machine<number | null>('dimensions', null);
  // Workspace-scoped settings come from the repository: clamped here, since VS Code does not
  // enforce package.json's minimum and maximum.
  const resource = <T>(key: string, fallback: T): unknown => config.get<T>(key, fallback);
  return {
    ...DEFAULT_SETTINGS,
    endpoint: machine('endpoint', DEFAULT_SETTINGS.endpoint),
    model: machine('model', DEFAULT_SETTINGS.model),
    dimensions: typeof dimensions === 'number' && dimensions > 0 ? clampToRange(dimensions, DIMENSIONS_RANGE, DIMENSIONS_RANGE.max) : undefined,
    requestsPerSecond: machine('requestsPerSecond', DEFAULT_SETTINGS.requestsPerSecond),
    burst: machine('burst', DEFAULT_SETTINGS.burst),
    concurrency: machine('concurrency', DEFAULT_SETTINGS.concurrency),
    shape: {
      ...DEFAULT_SETTINGS.shape,
      textFormat: machine('request.textFormat', DEFAULT_SETTINGS.shape.textFormat),
      systemMessage: machine('request.systemMessage', DEFAULT_SETTINGS.shape.systemMessage),
      assistantTurn: machine('request.assistantTurn', DEFAULT_SETTINGS.shape.assistantTurn),
      continueFinalMessage: machine('request.continueFinalMessage', DEFAULT_SETTINGS.shape.continueFinalMessage),
      addSpecialTokens: machine('request.addSpecialTokens', DEFAULT_SETTINGS.shape.addSpecialTokens),
    },
    include: config.get<string[]>('include', []),
    exclude: config.get<string[]>('exclude', []),
    useGitignore: config.get<boolean>('useGitignore', true),
    pixelBudget: clampToRange(resource('imagePixelBudget', DEFAULT_SETTINGS.pixelBudget), PIXEL_BUDGET_RANGE, DEFAULT_SETTINGS.pixelBudget),
    maxPdfPages: clampToRange(resource('pdfMaxPages', DEFAULT_SETTINGS.maxPdfPages), PDF_PAGES_RANGE, DEFAULT_SETTINGS.maxPdfPages),
    queryInstruction: machine('queryInstruction', DEFAULT_SETTINGS.queryInstruction),
    // Machine-scoped too: a repository must not be able to choose the vectors its index is filled with.
    sharedCache: stringOr(machine<unknown>('sharedCache', ''), ''),
    sharedCacheMaxMegabytes: clampToRange(
      machine<unknown>('sharedCacheMaxMegabytes', DEFAULT_SETTINGS.sharedCacheMaxMegabytes),
      CACHE_MEGABYTES_RANGE,
      DEFAULT_SETTINGS.sharedCacheMaxMegabytes,
    ),
  };
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value.trim() : fallback;
}

/** The endpoint as set in user (or, on a remote, remote) settings; undefined when left at the default. */
export function userSetEndpoint(): string | undefined {
  const value = vscode.workspace.getConfiguration('sightline').inspect<string>('endpoint')?.globalValue;
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

export function autoUpdateEnabled(): boolean {
  return vscode.workspace.getConfiguration('sightline').get<boolean>('autoUpdate', true);
}

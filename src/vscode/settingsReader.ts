import * as vscode from 'vscode';
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
  return {
    ...DEFAULT_SETTINGS,
    endpoint: machine('endpoint', DEFAULT_SETTINGS.endpoint),
    model: machine('model', DEFAULT_SETTINGS.model),
    dimensions: dimensions && dimensions > 0 ? dimensions : undefined,
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
    pixelBudget: config.get<number>('imagePixelBudget', DEFAULT_SETTINGS.pixelBudget),
    maxPdfPages: config.get<number>('pdfMaxPages', DEFAULT_SETTINGS.maxPdfPages),
    queryInstruction: machine('queryInstruction', DEFAULT_SETTINGS.queryInstruction),
  };
}

export function autoUpdateEnabled(): boolean {
  return vscode.workspace.getConfiguration('sightline').get<boolean>('autoUpdate', true);
}

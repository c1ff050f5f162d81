import * as vscode from 'vscode';
import type { IndexRoot } from '../core/index/indexer/indexerOptions';
import type { SightlineSettings } from '../core/settings/sightlineSettings';
import { loadCore } from './loadCore';
import { hostOf } from './secretKey';

const CONSENT_KEY = 'sightline.uploadConsent';

/**
 * Nothing leaves the machine before the user has seen what will be sent and where. The answer
 * is remembered per workspace and per host: pointing Sightline elsewhere asks again.
 */
export class UploadConsent {
  constructor(private readonly workspaceState: vscode.Memento) {}

  granted(endpoint: string): boolean {
    return this.workspaceState.get<string>(CONSENT_KEY) === hostOf(endpoint);
  }

  async revoke(): Promise<void> {
    await this.workspaceState.update(CONSENT_KEY, undefined);
  }

  /** Asks (with counts by kind and total size) unless already granted for this host. */
  async ensure(settings: SightlineSettings, roots: readonly IndexRoot[], token: vscode.CancellationToken): Promise<boolean> {
    if (this.granted(settings.endpoint)) return true;
    let counts: FileCounts;
    try {
      counts = await countFiles(settings, roots, token);
    } catch (error) {
      if (token.isCancellationRequested) return false;
      throw error;
    }
    // Cancelling the count is "not now", like declining.
    if (token.isCancellationRequested) return false;
    const host = hostOf(settings.endpoint);
    const detail =
      `To make them searchable, Sightline will send ${describeCounts(counts)} (${formatSize(counts.bytes)} before downscaling) ` +
      `from this workspace to ${host} to compute embeddings. Images are downscaled first; search queries are sent there too. ` +
      'Nothing else leaves this machine. You can revoke this with "Sightline: Revoke Upload Consent".';
    const allow = 'Allow and Index';
    const answer = await vscode.window.showInformationMessage(`Send workspace files to ${host}?`, { modal: true, detail }, allow);
    if (answer !== allow) return false;
    await this.workspaceState.update(CONSENT_KEY, host);
    return true;
  }
}

export interface FileCounts {
  image: number;
  markdown: number;
  pdf: number;
  notebook: number;
  bytes: number;
}

export async function countFiles(settings: SightlineSettings, roots: readonly IndexRoot[], token: vscode.CancellationToken): Promise<FileCounts> {
  const { walkWorkspace } = await loadCore();
  const controller = new AbortController();
  const cancel = token.onCancellationRequested(() => controller.abort());
  const counts: FileCounts = { image: 0, markdown: 0, pdf: 0, notebook: 0, bytes: 0 };
  try {
    for await (const event of walkWorkspace({
      roots: roots.map((r) => r.path),
      include: settings.include,
      exclude: settings.exclude,
      useGitignore: settings.useGitignore,
      signal: controller.signal,
    })) {
      if (event.type !== 'file') continue;
      counts[event.kind]++;
      counts.bytes += event.size;
    }
  } finally {
    cancel.dispose();
  }
  return counts;
}

export function describeCounts(counts: FileCounts): string {
  const parts = [
    counts.image && `${counts.image.toLocaleString('en')} image${counts.image === 1 ? '' : 's'}`,
    counts.markdown && `${counts.markdown.toLocaleString('en')} markdown file${counts.markdown === 1 ? '' : 's'}`,
    counts.pdf && `${counts.pdf.toLocaleString('en')} PDF${counts.pdf === 1 ? '' : 's'}`,
    counts.notebook && `${counts.notebook.toLocaleString('en')} notebook${counts.notebook === 1 ? '' : 's'}`,
  ].filter(Boolean) as string[];
  if (parts.length === 0) return 'no files';
  return parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

export function formatSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

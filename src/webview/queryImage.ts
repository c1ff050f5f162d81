import type { QueryImage } from '../shared/panelProtocol';

const ACCEPTED = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/gif']);

/** Reads a pasted, dropped or picked image into the message form; other files give undefined. */
export async function readImageFile(file: File): Promise<QueryImage | undefined> {
  if (!ACCEPTED.has(file.type)) return undefined;
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { name: file.name || 'pasted image', mimeType: file.type as QueryImage['mimeType'], base64: btoa(binary) };
}

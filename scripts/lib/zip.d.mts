export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly encrypted: boolean;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localHeaderOffset: number;
  readonly isDirectory: boolean;
}

export function readZipEntries(zip: Buffer): ZipEntry[];
export function readZipEntry(zip: Buffer, entry: ZipEntry): Buffer;

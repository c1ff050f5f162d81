export interface Target {
  readonly target: string;
  readonly os: 'linux' | 'darwin' | 'win32';
  readonly cpu: string;
  readonly libc: 'glibc' | 'musl' | undefined;
  readonly sharp: string;
  readonly binary: { readonly format: 'elf' | 'macho' | 'pe'; readonly arch: string };
  readonly budget: number;
}

export interface BinaryInfo {
  readonly format: 'elf' | 'macho' | 'pe';
  readonly arch: string;
  readonly musl?: boolean;
}

export const RUNTIME_PACKAGES: readonly string[];
export const TARGETS: readonly Target[];
export function findTarget(name: string): Target | undefined;
export function hostTarget(): string | undefined;
export function shippedFiles(t: Target): string[];
export function vscodeignore(t: Target, extraFiles?: readonly string[]): string;
export function globToRegExp(glob: string): RegExp;
export function binaryInfo(bytes: Buffer): BinaryInfo | undefined;
export function checkVsixContents(
  t: Target,
  entries: readonly { readonly name: string; readonly isDirectory: boolean }[],
  read: (name: string) => Buffer,
  size: number,
): { files: number; problems: string[] };
export function externalRequires(code: string): string[];
export function requireEntry(pkg: Record<string, unknown>): string;
export function formatMiB(bytes: number): string;

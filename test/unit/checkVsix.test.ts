import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import {
  binaryInfo,
  checkVsixContents,
  externalRequires,
  findTarget,
  globToRegExp,
  requireEntry,
  shippedFiles,
  vscodeignore,
  type Target,
} from '../../scripts/lib/vsixRules.mjs';
import { readZipEntries, readZipEntry } from '../../scripts/lib/zip.mjs';

type Files = Record<string, string | Buffer>;

/** A zip as vsce writes one: local headers, then the central directory, then its end record. */
function writeZip(files: Files, options: { store?: boolean } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content);
    const method = options.store ? 0 : 8;
    const stored = method === 8 ? zlib.deflateRawSync(data) : data;
    const nameBytes = Buffer.from(name);
    const crc = zlib.crc32(data);

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(stored.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    locals.push(local, nameBytes, stored);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(stored.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + stored.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** The first bytes of an ELF shared object for `machine`, naming the libc it links. */
function elf(machine: number, libc = 'libc.so.6'): Buffer {
  const header = Buffer.alloc(64);
  header.write('\x7fELF', 0, 'latin1');
  header[4] = 2;
  header[5] = 1;
  header.writeUInt16LE(3, 16);
  header.writeUInt16LE(machine, 18);
  return Buffer.concat([header, Buffer.from(`\0${libc}\0`)]);
}

function macho(cpu: number): Buffer {
  const header = Buffer.alloc(32);
  header.writeUInt32LE(0xfeedfacf, 0);
  header.writeUInt32LE(cpu, 4);
  return header;
}

function pe(machine: number): Buffer {
  const header = Buffer.alloc(128);
  header.write('MZ', 0, 'latin1');
  header.writeUInt32LE(64, 0x3c);
  header.writeUInt32BE(0x50450000, 64);
  header.writeUInt16LE(machine, 68);
  return header;
}

const json = (value: unknown) => JSON.stringify(value);
const bundle = 'require("vscode");require("node:fs");require("sharp");require("@hyzyla/pdfium");';

/** The files of a VSIX for linux-x64 that passes every check. */
function linuxVsix(): Files {
  return {
    'extension.vsixmanifest': '<Identity Id="sightline" TargetPlatform="linux-x64" />',
    '[Content_Types].xml': '<Types />',
    'extension/package.json': json({ main: './dist/extension.js', icon: 'media/icon.png', dependencies: { sharp: '0.35.5', '@hyzyla/pdfium': '2.1.13' } }),
    'extension/readme.md': '# Sightline',
    'extension/dist/extension.js': bundle,
    'extension/dist/core.js': bundle,
    'extension/dist/preparationWorker.js': bundle,
    'extension/dist/cli.js': '#!/usr/bin/env node\n' + bundle,
    'extension/dist/webview.js': '(()=>{})();',
    'extension/dist/pdfViewer.js': '(()=>{})();',
    'extension/dist/duplicates.js': '(()=>{})();',
    'extension/media/icon.png': 'png',
    'extension/node_modules/sharp/package.json': json({
      version: '0.35.5',
      exports: { '.': { import: { default: './dist/index.mjs' }, require: { default: './dist/index.cjs' } } },
      dependencies: { '@img/colour': '^1', 'detect-libc': '^2', semver: '^7' },
    }),
    'extension/node_modules/sharp/dist/index.cjs': '',
    'extension/node_modules/@img/colour/package.json': json({ main: 'index.cjs' }),
    'extension/node_modules/@img/colour/index.cjs': '',
    'extension/node_modules/detect-libc/package.json': json({ main: 'lib/detect-libc.js' }),
    'extension/node_modules/detect-libc/lib/detect-libc.js': '',
    'extension/node_modules/semver/package.json': json({ main: 'index.js' }),
    'extension/node_modules/semver/index.js': '',
    'extension/node_modules/@img/sharp-linux-x64/package.json': json({}),
    'extension/node_modules/@img/sharp-linux-x64/lib/sharp-linux-x64-0.35.5.node': elf(62),
    'extension/node_modules/@img/sharp-libvips-linux-x64/package.json': json({}),
    'extension/node_modules/@img/sharp-libvips-linux-x64/lib/libvips-cpp.so.8.18.7': elf(62),
    'extension/node_modules/@hyzyla/pdfium/package.json': json({
      exports: {
        '.': {
          browser: { default: './dist/index.esm.browser.js' },
          import: { default: './dist/index.esm.js' },
          require: { types: './dist/index.cjs.d.ts', default: './dist/index.cjs' },
        },
      },
    }),
    'extension/node_modules/@hyzyla/pdfium/dist/index.cjs': '',
    'extension/node_modules/@hyzyla/pdfium/dist/pdfium.wasm': '\0asm',
  };
}

function check(files: Files, t: Target = target('linux-x64'), size?: number) {
  const zip = writeZip(files);
  const entries = readZipEntries(zip);
  const byName = new Map(entries.map((entry) => [entry.name, entry]));
  return checkVsixContents(t, entries, (name) => readZipEntry(zip, byName.get(name)!), size ?? zip.length).problems;
}

function target(name: string): Target {
  const t = findTarget(name);
  if (!t) throw new Error(`no target ${name}`);
  return t;
}

describe('the zip reader', () => {
  it('lists entries and reads deflated and stored ones back', () => {
    const files = { 'a.txt': 'hello '.repeat(100), 'dir/b.bin': Buffer.from([0, 1, 2, 255]) };
    for (const store of [false, true]) {
      const zip = writeZip(files, { store });
      const entries = readZipEntries(zip);
      expect(entries.map((entry) => [entry.name, entry.size, entry.method])).toEqual([
        ['a.txt', 600, store ? 0 : 8],
        ['dir/b.bin', 4, store ? 0 : 8],
      ]);
      expect(readZipEntry(zip, entries[0]!).toString()).toBe(files['a.txt']);
      expect([...readZipEntry(zip, entries[1]!)]).toEqual([0, 1, 2, 255]);
    }
  });

  it('finds the directory behind a trailing comment', () => {
    const zip = writeZip({ 'a.txt': 'a' });
    const comment = Buffer.from('PK\x05\x06 not the end record');
    zip.writeUInt16LE(comment.length, zip.length - 2);
    expect(readZipEntries(Buffer.concat([zip, comment])).map((entry) => entry.name)).toEqual(['a.txt']);
  });

  it('rejects what is not a zip and data that fails its CRC', () => {
    expect(() => readZipEntries(Buffer.from('not a zip at all, just some text'))).toThrow(/Not a zip/);
    const zip = writeZip({ 'a.txt': 'abcdef' }, { store: true });
    const firstDataByte = 30 + 'a.txt'.length;
    zip.writeUInt8(zip.readUInt8(firstDataByte) ^ 0xff, firstDataByte);
    expect(() => readZipEntry(zip, readZipEntries(zip)[0]!)).toThrow(/CRC/);
  });
});

describe('the VSIX rules', () => {
  it('pass a VSIX with exactly the target runtime files', () => {
    expect(check(linuxVsix())).toEqual([]);
  });

  it('reject files off the allow-list, source maps, TypeScript and tests', () => {
    const problems = check({
      ...linuxVsix(),
      'extension/src/extension.ts': '',
      'extension/dist/extension.js.map': '{}',
      'extension/node_modules/@hyzyla/pdfium/dist/index.d.ts': '',
      'extension/node_modules/@hyzyla/pdfium/dist/index.esm.browser.js': '',
      'extension/node_modules/semver/test/semver.js': '',
    });
    expect(problems).toEqual([
      'extension/src/extension.ts: TypeScript source or declarations does not belong in the VSIX',
      'extension/dist/extension.js.map: a source map does not belong in the VSIX',
      'extension/node_modules/@hyzyla/pdfium/dist/index.d.ts: TypeScript source or declarations does not belong in the VSIX',
      'extension/node_modules/@hyzyla/pdfium/dist/index.esm.browser.js: not on the allow-list of files a VSIX ships',
      'extension/node_modules/semver/test/semver.js: a test file does not belong in the VSIX',
    ]);
  });

  it("reject another platform's packages and binaries built for another platform", () => {
    const problems = check({
      ...linuxVsix(),
      'extension/node_modules/@img/sharp-darwin-arm64/package.json': '{}',
      'extension/node_modules/@img/sharp-darwin-arm64/lib/sharp-darwin-arm64-0.35.5.node': macho(0x0100000c),
      'extension/node_modules/@img/sharp-linux-x64/lib/sharp-linux-x64-0.35.5.node': elf(183),
      'extension/node_modules/@img/sharp-libvips-linux-x64/lib/libvips-cpp.so.8.18.7': elf(62, 'libc.musl-x86_64.so.1'),
      'extension/node_modules/semver/prebuilt.node': elf(62),
    });
    expect(problems).toEqual([
      'extension/node_modules/@img/sharp-linux-x64/lib/sharp-linux-x64-0.35.5.node: built for elf arm64, linux-x64 needs elf x64',
      'extension/node_modules/@img/sharp-libvips-linux-x64/lib/libvips-cpp.so.8.18.7: links musl, linux-x64 needs glibc',
      "extension/node_modules/semver/prebuilt.node: a native binary outside linux-x64's @img packages",
      "extension/node_modules/@img/sharp-darwin-arm64/ (2 files): another platform's package, not linux-x64's",
    ]);
  });

  it('require the binaries, the entry points and pdfium.wasm', () => {
    const files = linuxVsix();
    delete files['extension/node_modules/@img/sharp-linux-x64/lib/sharp-linux-x64-0.35.5.node'];
    delete files['extension/node_modules/@hyzyla/pdfium/dist/pdfium.wasm'];
    delete files['extension/node_modules/@hyzyla/pdfium/dist/index.cjs'];
    delete files['extension/node_modules/semver/package.json'];
    delete files['extension/dist/extension.js'];
    expect(check(files)).toEqual([
      'extension/node_modules/semver/package.json: required but missing',
      'extension/dist/extension.js: required but missing',
      'extension/node_modules/@hyzyla/pdfium/dist/index.cjs: required but missing',
      'extension/node_modules/@img/sharp-linux-x64/lib/sharp-linux-x64-0.35.5.node: required but missing',
      'extension/node_modules/@hyzyla/pdfium/dist/pdfium.wasm: required but missing',
    ]);
  });

  it('reject a development build, a wrong target, extra dependencies and an oversized VSIX', () => {
    const t = target('linux-x64');
    const problems = check(
      {
        ...linuxVsix(),
        'extension.vsixmanifest': '<Identity Id="sightline" TargetPlatform="linux-arm64" />',
        'extension/package.json': json({ main: './dist/extension.js', dependencies: { sharp: '0.35.5', yaml: '2' }, devDependencies: { vitest: '4' } }),
        'extension/dist/webview.js': '(()=>{})();\n//# sourceMappingURL=webview.js.map',
      },
      t,
      t.budget + 1,
    );
    expect(problems).toEqual([
      'extension/package.json: still lists devDependencies',
      'extension/package.json: lists yaml as a dependency, but only sharp and @hyzyla/pdfium load from node_modules',
      'extension.vsixmanifest: target platform is linux-arm64, not linux-x64',
      'extension/dist/webview.js: refers to a source map (a development build; package after `npm run build -- --production`)',
      expect.stringMatching(/ MiB is over the linux-x64 budget of /),
    ]);
  });

  it('expect Windows binaries in the sharp package and no libvips package', () => {
    const files: Files = {};
    for (const [name, content] of Object.entries(linuxVsix())) {
      if (!name.includes('@img/sharp-')) files[name] = content;
    }
    files['extension.vsixmanifest'] = '<Identity TargetPlatform="win32-x64" />';
    files['extension/node_modules/@img/sharp-win32-x64/package.json'] = '{}';
    files['extension/node_modules/@img/sharp-win32-x64/lib/sharp-win32-x64-0.35.5.node'] = pe(0x8664);
    files['extension/node_modules/@img/sharp-win32-x64/lib/libvips-42.dll'] = pe(0x8664);
    expect(check(files, target('win32-x64'))).toEqual([]);
    files['extension/node_modules/@img/sharp-win32-x64/lib/libvips-42.dll'] = pe(0xaa64);
    expect(check(files, target('win32-x64'))).toEqual([
      'extension/node_modules/@img/sharp-win32-x64/lib/libvips-42.dll: built for pe arm64, win32-x64 needs pe x64',
    ]);
  });
});

describe('the rule helpers', () => {
  it('match globs the way .vscodeignore does', () => {
    expect(globToRegExp('media/**').test('media/icons/a.png')).toBe(true);
    expect(globToRegExp('node_modules/sharp/dist/*.cjs').test('node_modules/sharp/dist/index.cjs')).toBe(true);
    expect(globToRegExp('node_modules/sharp/dist/*.cjs').test('node_modules/sharp/dist/sub/index.cjs')).toBe(false);
    expect(globToRegExp('lib/libvips-cpp.so.*').test('lib/libvips-cpp.so.8.18.7')).toBe(true);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
  });

  it('read what a binary was built for', () => {
    expect(binaryInfo(elf(40))).toEqual({ format: 'elf', arch: 'arm', musl: false });
    expect(binaryInfo(elf(183, 'ld-musl-aarch64.so.1'))).toEqual({ format: 'elf', arch: 'arm64', musl: true });
    expect(binaryInfo(macho(0x01000007))).toEqual({ format: 'macho', arch: 'x64' });
    expect(binaryInfo(pe(0xaa64))).toEqual({ format: 'pe', arch: 'arm64' });
    expect(binaryInfo(Buffer.from('MZ is also how some text starts, but it is long enough to read past 64 bytes'))).toBeUndefined();
  });

  it('find the packages a bundle loads and the file require() resolves to', () => {
    expect(externalRequires('require("vscode");require("node:fs");require("fs");require("@a/b/c");require("d/e");require("./f")')).toEqual(['@a/b', 'd']);
    expect(requireEntry({ exports: { '.': { browser: './b.js', import: './m.js', require: { types: './t.d.ts', default: './c.cjs' } } } })).toBe('c.cjs');
    expect(requireEntry({ exports: './x.js' })).toBe('x.js');
    expect(requireEntry({ main: 'lib/index' })).toBe('lib/index.js');
    expect(requireEntry({})).toBe('index.js');
  });

  it('write a .vscodeignore that admits only the shipped files', () => {
    const t = target('alpine-arm64');
    const lines = vscodeignore(t, ['LICENSE'])
      .split('\n')
      .filter((line) => line && !line.startsWith('#'));
    expect(lines.slice(0, 4)).toEqual(['**', '!package.json', '!README.md', '!LICENSE']);
    expect(lines.slice(4)).toEqual(shippedFiles(t).map((glob) => '!' + glob));
    expect(lines).toContain('!node_modules/@img/sharp-linuxmusl-arm64/lib/*');
    expect(lines.some((line) => line.includes('linux-x64'))).toBe(false);
  });
});

describe('scripts/checkVsix.mjs', () => {
  const CHECK_VSIX = join(import.meta.dirname, '..', '..', 'scripts', 'checkVsix.mjs');
  const dir = mkdtempSync(join(tmpdir(), 'sightline-check-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the table and exits with 1 when a VSIX breaks a rule', () => {
    const good = join(dir, 'good.vsix');
    const bad = join(dir, 'bad.vsix');
    writeFileSync(good, writeZip(linuxVsix()));
    writeFileSync(bad, writeZip({ ...linuxVsix(), 'extension/notes.txt': 'x' }));
    const run = (...files: string[]) => spawnSync(process.execPath, [CHECK_VSIX, '--no-smoke', ...files], { encoding: 'utf8' });

    const passing = run(good);
    expect(passing.status).toBe(0);
    expect(passing.stdout).toMatch(/^\| target \| files \| compressed size \| budget \| result \|$/m);
    const files = Object.keys(linuxVsix()).length;
    expect(passing.stdout).toContain(`| linux-x64 | ${files} | 0.0 MiB | 12.5 MiB | ok |`);

    const failing = run(good, bad);
    expect(failing.status).toBe(1);
    expect(failing.stderr).toContain('extension/notes.txt: not on the allow-list of files a VSIX ships');
  });
});

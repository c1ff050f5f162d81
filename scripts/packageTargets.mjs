#!/usr/bin/env node
// Packages one VSIX per platform target into dist-vsix/. sharp loads a native binary, so a
// VSIX only works on the platform whose @img/sharp-* packages it carries; VS Code picks the
// VSIX whose target matches the machine. For each target this stages the built extension
// in .package/<target>/, installs the runtime packages esbuild leaves external with npm's
// --os/--cpu/--libc flags (so another platform's binaries can be fetched from here), and
// runs vsce there with a generated .vscodeignore that admits only the files used at run time.
//
// Run after `npm run build -- --production`. Options:
//   --targets a,b     only these targets ("host" means this machine's); default all
//   --jobs N          targets packaged at once (default 4: downloads overlap vsce's zipping)
//   --host-copy FILE  where to copy this machine's VSIX (default sightline.vsix; "" for none)
//   --keep-staging    keep .package/<target>/ after a successful build
import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { RUNTIME_PACKAGES, TARGETS, externalRequires, findTarget, formatMiB, globToRegExp, hostTarget, shippedFiles, vscodeignore } from './lib/vsixRules.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const STAGING = join(ROOT, '.package');
const OUT = join(ROOT, 'dist-vsix');
const VSCE = join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
const BUNDLES = ['dist/extension.js', 'dist/core.js', 'dist/preparationWorker.js', 'dist/cli.js', 'dist/webview.js', 'dist/pdfViewer.js', 'dist/duplicates.js'];
const LICENSES = ['LICENSE', 'LICENSE.md', 'LICENSE.txt'];

class PackagingError extends Error {}

async function main() {
  const { values } = parseArgs({
    options: {
      targets: { type: 'string' },
      jobs: { type: 'string', default: '4' },
      'host-copy': { type: 'string', default: 'sightline.vsix' },
      'keep-staging': { type: 'boolean', default: false },
    },
  });
  const targets = selectTargets(values.targets);
  const jobs = Math.max(1, Number.parseInt(values.jobs, 10) || 1);

  checkBundles();
  const manifest = readJson(join(ROOT, 'package.json'));
  const lock = readJson(join(ROOT, 'package-lock.json'));
  const staged = stagedManifest(manifest, lock);
  const stagedLock = stagedLockfile(staged, lock);
  const license = LICENSES.find((name) => existsSync(join(ROOT, name)));

  mkdirSync(OUT, { recursive: true });
  const started = Date.now();
  console.log(`Packaging ${manifest.name} ${manifest.version} for ${targets.map((t) => t.target).join(', ')} (${jobs} at a time)`);

  const results = await mapPool(targets, jobs, (t) =>
    packageTarget(t, { staged, stagedLock, license, keepStaging: values['keep-staging'] }).then(
      (result) => {
        console.log(
          `  ${t.target}: ${result.platformPackages.join(', ')} -> ${relative(ROOT, result.vsix)} (${formatMiB(result.size)}, ${seconds(result.took)})`,
        );
        return result;
      },
      (error) => {
        console.error(`  ${t.target}: FAILED\n${indent(error.message)}`);
        return undefined;
      },
    ),
  );

  const failed = targets.filter((_, i) => results[i] === undefined);
  if (failed.length > 0) {
    console.error(`\nPackaging failed for ${failed.map((t) => t.target).join(', ')} (staging kept in ${relative(ROOT, STAGING)}/)`);
    process.exitCode = 1;
    return;
  }

  const host = hostTarget();
  const hostResult = results.find((result) => result.target === host);
  if (values['host-copy'] && hostResult) {
    // The README promises one installable file for this machine after `npm run package`.
    copyFileSync(hostResult.vsix, join(ROOT, values['host-copy']));
    console.log(`  ${values['host-copy']} = ${relative(ROOT, hostResult.vsix)} (this machine's target)`);
  } else if (values['host-copy']) {
    console.log(`  no copy to ${values['host-copy']}: this machine's target (${host ?? 'unsupported'}) was not packaged`);
  }
  if (!values['keep-staging'] && existsSync(STAGING) && readdirSync(STAGING).length === 0) rmSync(STAGING, { recursive: true, force: true });
  console.log(`Packaged ${targets.length} VSIX${targets.length === 1 ? '' : 's'} in ${seconds(Date.now() - started)}`);
}

function selectTargets(option) {
  if (!option) return TARGETS;
  return option.split(',').map((name) => {
    const wanted = name.trim() === 'host' ? hostTarget() : name.trim();
    const t = wanted && findTarget(wanted);
    if (!t) {
      throw new PackagingError(`Unknown target "${name}" (known: ${TARGETS.map((x) => x.target).join(', ')}; "host" is ${hostTarget() ?? 'unsupported'})`);
    }
    return t;
  });
}

/** The bundles must exist, be production builds, and load no package that is not shipped. */
function checkBundles() {
  for (const bundle of BUNDLES) {
    const file = join(ROOT, bundle);
    if (!existsSync(file)) throw new PackagingError(`${bundle} is missing: run \`npm run build -- --production\` first`);
    const code = readFileSync(file, 'utf8');
    if (/[#@] sourceMappingURL=/.test(code)) {
      throw new PackagingError(`${bundle} is a development build (it refers to a source map): run \`npm run build -- --production\` first`);
    }
    const unshipped = externalRequires(code).filter((name) => !RUNTIME_PACKAGES.includes(name));
    if (unshipped.length > 0) {
      throw new PackagingError(
        `${bundle} loads ${unshipped.join(', ')} at run time, but only ${RUNTIME_PACKAGES.join(', ')} are packaged (see RUNTIME_PACKAGES in scripts/lib/vsixRules.mjs)`,
      );
    }
  }
}

/**
 * The VSIX's package.json: the project's, without devDependencies (vsce would otherwise
 * look for them) and scripts (they name files the VSIX does not carry), and with only the
 * external runtime packages as dependencies, pinned to the versions package-lock.json holds
 * so every target ships what the tests ran against.
 */
function stagedManifest(manifest, lock) {
  const { devDependencies: _devDependencies, scripts: _scripts, ...rest } = manifest;
  const dependencies = {};
  for (const name of RUNTIME_PACKAGES) {
    const entry = lock.packages?.[`node_modules/${name}`];
    if (!entry?.version) throw new PackagingError(`package-lock.json has no node_modules/${name}: run \`npm install\` first`);
    dependencies[name] = entry.version;
  }
  return { ...rest, dependencies };
}

/**
 * A lockfile for the staging folder: the project's lock entries for the runtime packages
 * and everything they depend on, all platforms' optional packages included. `npm ci` then
 * installs exactly the locked versions, checks their integrity, and keeps only the
 * optional packages that suit the --os/--cpu/--libc it is given.
 */
function stagedLockfile(staged, lock) {
  const packages = {
    '': { name: staged.name, version: staged.version, license: staged.license, dependencies: staged.dependencies },
  };
  walkLock(lock.packages, Object.keys(staged.dependencies), (path, entry) => {
    const { dev: _dev, devOptional: _devOptional, ...kept } = entry;
    packages[path] = kept;
    return true;
  });
  return { name: staged.name, version: staged.version, lockfileVersion: 3, requires: true, packages };
}

/**
 * Visits the lock entries that `roots` reach through dependencies and optional
 * dependencies, resolving each name the way Node does (nearest node_modules upwards).
 * `visit` returns false to skip an entry and what only it reaches.
 */
function walkLock(lockPackages, roots, visit) {
  const reached = new Set();
  const resolveFrom = (from, name, optional) => {
    for (let base = from; ;) {
      const path = `${base ? base + '/' : ''}node_modules/${name}`;
      if (lockPackages[path]) return path;
      if (!base) break;
      const parent = base.lastIndexOf('/node_modules/');
      base = parent < 0 ? '' : base.slice(0, parent);
    }
    throw new PackagingError(`package-lock.json lacks ${name}${optional ? ' (optional)' : ''}, needed by ${from || 'the project'}: run \`npm install\``);
  };
  const enter = (path) => {
    if (reached.has(path)) return;
    reached.add(path);
    const entry = lockPackages[path];
    if (!visit(path, entry)) return;
    for (const name of Object.keys(entry.dependencies ?? {})) enter(resolveFrom(path, name, false));
    for (const name of Object.keys(entry.optionalDependencies ?? {})) enter(resolveFrom(path, name, true));
  };
  for (const name of roots) enter(resolveFrom('', name, false));
}

/** Whether npm installs a package with these os/cpu/libc fields for target `t`. */
function suits(entry, t) {
  const allows = (list, value) => {
    if (!list || value === undefined) return true;
    if (list.includes('!' + value)) return false;
    const positive = list.filter((item) => !item.startsWith('!'));
    return positive.length === 0 || positive.includes(value);
  };
  return allows(entry.os, t.os) && allows(entry.cpu, t.cpu) && allows(entry.libc, t.libc);
}

async function packageTarget(t, { staged, stagedLock, license, keepStaging }) {
  const started = Date.now();
  const stage = join(STAGING, t.target);
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(join(stage, 'dist'), { recursive: true });

  writeFileSync(join(stage, 'package.json'), JSON.stringify(staged, null, 2) + '\n');
  writeFileSync(join(stage, 'package-lock.json'), JSON.stringify(stagedLock, null, 2) + '\n');
  // The screenshots live in docs/, which the VSIX does not ship: leave them out of its README.
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8').replace(/<!-- vsix:omit-start[\s\S]*?<!-- vsix:omit-end -->\n?/g, '');
  writeFileSync(join(stage, 'README.md'), readme);
  if (license) copyFileSync(join(ROOT, license), join(stage, license));
  for (const bundle of BUNDLES) copyFileSync(join(ROOT, bundle), join(stage, bundle));
  cpSync(join(ROOT, 'media'), join(stage, 'media'), { recursive: true });
  writeFileSync(join(stage, '.vscodeignore'), vscodeignore(t, license ? [license] : []));

  const platformFlags = [`--os=${t.os}`, `--cpu=${t.cpu}`];
  // Without --libc npm would judge glibc/musl packages by this machine's libc.
  if (t.libc) platformFlags.push(`--libc=${t.libc}`);
  await run(
    npmCommand(),
    ['ci', '--omit=dev', ...platformFlags, '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', '--no-progress', '--loglevel=error'],
    stage,
  );

  const platformPackages = checkInstalled(t, stage, stagedLock);
  checkEntryPoints(t, stage);

  const vsix = join(OUT, `sightline-${t.target}.vsix`);
  rmSync(vsix, { force: true });
  // vsce runs in the staging folder so it sees only the staged files and node_modules.
  await run(
    process.execPath,
    [VSCE, 'package', '--target', t.target, '--no-update-package-json', '--allow-missing-repository', '--skip-license', '-o', vsix],
    stage,
  );

  if (!keepStaging) rmSync(stage, { recursive: true, force: true });
  return { target: t.target, vsix, size: statSync(vsix).size, platformPackages, took: Date.now() - started };
}

/**
 * npm must have installed exactly what suits the target: the runtime packages, their
 * dependencies, and of sharp's optional platform packages only the target's own
 * @img/sharp-<platform> and @img/sharp-libvips-<platform>.
 */
function checkInstalled(t, stage, stagedLock) {
  const expected = new Set();
  walkLock(stagedLock.packages, Object.keys(stagedLock.packages[''].dependencies), (path, entry) => {
    if (!suits(entry, t)) return false;
    expected.add(path);
    return true;
  });
  const installed = new Set(installedPackages(stage));
  const extra = [...installed].filter((path) => !expected.has(path));
  const missing = [...expected].filter((path) => !installed.has(path));
  const platformPackages = [...installed].filter((path) => /node_modules\/@img\/sharp-/.test(path)).map((path) => path.replace(/^.*node_modules\//, ''));
  const own = [`@img/sharp-${t.sharp}`, `@img/sharp-libvips-${t.sharp}`];
  const foreign = platformPackages.filter((name) => !own.includes(name));
  if (extra.length > 0 || missing.length > 0 || foreign.length > 0 || !platformPackages.includes(own[0])) {
    throw new PackagingError(
      [
        `npm's install for ${t.target} does not match the lockfile and the platform flags:`,
        ...extra.map((path) => `  unexpected: ${path}`),
        ...missing.map((path) => `  missing: ${path}`),
        ...foreign.map((name) => `  another platform's package: ${name}`),
        ...(platformPackages.includes(own[0]) ? [] : [`  missing: ${own[0]}`]),
      ].join('\n'),
    );
  }
  return platformPackages.sort();
}

/** Lock-style paths (node_modules/a, node_modules/a/node_modules/@s/b) of what is installed. */
function installedPackages(dir, prefix = '') {
  const modules = join(dir, 'node_modules');
  if (!existsSync(modules)) return [];
  const found = [];
  const add = (name) => {
    const path = `${prefix}node_modules/${name}`;
    found.push(path, ...installedPackages(join(modules, name), path + '/'));
  };
  for (const entry of readdirSync(modules, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    if (entry.name.startsWith('@')) {
      for (const scoped of readdirSync(join(modules, entry.name), { withFileTypes: true })) {
        if (scoped.isDirectory()) add(`${entry.name}/${scoped.name}`);
      }
    } else {
      add(entry.name);
    }
  }
  return found;
}

/**
 * What `require()` of each runtime package resolves to from dist/ must be among the shipped
 * files: if a package moves its entry point, the trimmed VSIX would fail to load it.
 */
function checkEntryPoints(t, stage) {
  const requireFromBundle = createRequire(join(stage, 'dist', 'extension.js'));
  const shipped = shippedFiles(t).map(globToRegExp);
  for (const name of RUNTIME_PACKAGES) {
    const file = relative(stage, requireFromBundle.resolve(name)).split('\\').join('/');
    if (!shipped.some((pattern) => pattern.test(file))) {
      throw new PackagingError(`require('${name}') resolves to ${file}, which shippedFiles() in scripts/lib/vsixRules.mjs leaves out`);
    }
  }
}

function npmCommand() {
  // Under `npm run`, npm_execpath is the npm that runs us: use that one, through Node.
  const execPath = process.env.npm_execpath;
  if (execPath && /\.[cm]?js$/.test(execPath)) return [process.execPath, execPath];
  return [process.platform === 'win32' ? 'npm.cmd' : 'npm'];
}

/**
 * Runs a command in `cwd` and collects its output, shown only if it fails. The environment
 * drops what `npm run` sets for the project itself, so npm and vsce treat the staging
 * folder as their project.
 */
function run(command, args, cwd) {
  const [file, ...pre] = Array.isArray(command) ? command : [command];
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(npm_package_|npm_lifecycle_|npm_config_local_prefix$|INIT_CWD$)/i.test(key)),
  );
  return new Promise((resolvePromise, reject) => {
    const child = spawn(file, [...pre, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], shell: process.platform === 'win32' && file.endsWith('.cmd') });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolvePromise(output);
      else
        reject(
          new PackagingError(
            `${[file, ...pre, ...args].map((part) => (part.startsWith(ROOT) ? relative(ROOT, part) : part)).join(' ')} exited with ${code}:\n${output.trim().split('\n').slice(-30).join('\n')}`,
          ),
        );
    });
  });
}

async function mapPool(items, limit, task) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

function indent(text) {
  return text
    .split('\n')
    .map((line) => '    ' + line)
    .join('\n');
}

main().catch((error) => {
  console.error(error instanceof PackagingError ? `packageTargets: ${error.message}` : error);
  process.exitCode = 1;
});

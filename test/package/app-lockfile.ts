/**
 * A lockfile for a fresh app whose one dependency is Switchyard's packed
 * tarball, derived from the project's own lockfile. Why: an offline
 * `npm install` resolves a dependency without a lockfile by its registry
 * document, which the npm cache may not hold; with a lockfile it needs only
 * the tarballs, which the project's own `npm ci` has cached, each under
 * its registry address (`resolved`, from the npm config's registry: the
 * project's own lockfile leaves addresses out).
 */

interface LockEntry {
  version?: string;
  dev?: boolean;
  inBundle?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [key: string]: unknown;
}

/** The project's package-lock.json, as far as this needs it. */
export interface Lockfile {
  name: string;
  version: string;
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
}

/** Where Node resolves `name` required from the package at `from` (a lockfile path), in the lockfile's tree. */
function resolveIn(packages: Record<string, LockEntry>, from: string, name: string): string | undefined {
  for (let dir = from; ; ) {
    const candidate = dir === '' ? `node_modules/${name}` : `${dir}/node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (dir === '') return undefined;
    const at = dir.lastIndexOf('/node_modules/');
    dir = at < 0 ? '' : dir.slice(0, at);
  }
}

/** The registry's address of a package's tarball: `<registry><name>/-/<name without scope>-<version>.tgz`. */
function tarballAddress(registry: string, name: string, version: string): string {
  return `${registry.replace(/\/?$/, '/')}${name}/-/${name.slice(name.indexOf('/') + 1)}-${version}.tgz`;
}

/**
 * The app's lockfile: `switchyard` from `tarball` (a path relative to the
 * app), and every package it needs at run time (dependencies and required
 * peers, transitively), placed as in the project's tree, no dev-only package.
 */
export function appLockfile(project: Lockfile, manifest: { dependencies: Record<string, string>; peerDependencies: Record<string, string>; bin: Record<string, string> }, tarball: string, registry: string): Lockfile {
  const source = project.packages;
  const packages: Record<string, LockEntry> = {
    '': { name: 'user-app', version: '1.0.0', dependencies: { switchyard: `file:${tarball}` } },
    'node_modules/switchyard': { version: project.version, resolved: `file:${tarball}`, dependencies: manifest.dependencies, peerDependencies: manifest.peerDependencies, bin: manifest.bin },
  };
  const visit = (from: string, names: string[]): void => {
    for (const name of names) {
      const at = resolveIn(source, from, name);
      if (at === undefined) throw new Error(`${name} (needed by ${from || 'switchyard'}) is not in package-lock.json`);
      if (packages[at]) continue;
      const entry = { ...source[at]! };
      delete entry.dev;
      delete entry.devOptional;
      entry.resolved = tarballAddress(registry, typeof entry.name === 'string' ? entry.name : at.slice(at.lastIndexOf('node_modules/') + 'node_modules/'.length), entry.version!);
      packages[at] = entry;
      const peers = Object.keys(entry.peerDependencies ?? {}).filter((p) => !entry.peerDependenciesMeta?.[p]?.optional);
      visit(at, [...Object.keys(entry.dependencies ?? {}), ...peers]);
      // Optional dependencies (platform binaries) only where the project has them.
      visit(at, Object.keys(entry.optionalDependencies ?? {}).filter((o) => resolveIn(source, at, o) !== undefined));
    }
  };
  visit('', [...Object.keys(manifest.dependencies), ...Object.keys(manifest.peerDependencies)]);
  // Bundled dependencies come inside their package's tarball.
  for (const [at, entry] of Object.entries(source)) {
    if (!entry.inBundle || !Object.keys(packages).some((p) => p !== '' && at.startsWith(`${p}/node_modules/`))) continue;
    const bundled = { ...entry };
    delete bundled.dev;
    packages[at] = bundled;
  }
  return { name: 'user-app', version: '1.0.0', lockfileVersion: project.lockfileVersion, packages };
}

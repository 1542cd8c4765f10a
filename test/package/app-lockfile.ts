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

/** The package paths `at` sits under, nearest first (`a/node_modules/b/node_modules/c` → `a/node_modules/b`, `a`). */
function ancestors(at: string): string[] {
  const parts = at.split('/node_modules/');
  return parts.slice(1).map((_, i) => parts.slice(0, parts.length - 1 - i).join('/node_modules/'));
}

/**
 * Whether the package at `at` comes inside a tarball: reached from an
 * enclosing package's `bundleDependencies` through dependencies (not
 * peers). npm also marks `inBundle` a peer of a bundled package that the
 * tarball leaves out (aws-cdk-lib 2.250's `@aws-cdk/cloud-assembly-schema`).
 */
function bundled(packages: Record<string, LockEntry>, at: string): boolean {
  if (!packages[at]?.inBundle) return false;
  return ancestors(at).some((owner) => {
    const names = packages[owner]?.bundleDependencies;
    if (!Array.isArray(names)) return false;
    const reached = new Set<string>();
    const walk = (from: string, deps: string[]): void => {
      for (const name of deps) {
        const found = resolveIn(packages, from, name);
        if (found === undefined || reached.has(found) || !found.startsWith(`${owner}/`)) continue;
        reached.add(found);
        walk(found, Object.keys({ ...packages[found]!.dependencies, ...packages[found]!.optionalDependencies }));
      }
    };
    walk(owner, names as string[]);
    return reached.has(at);
  });
}

/** The registry's address of a package's tarball: `<registry><name>/-/<name without scope>-<version>.tgz`. */
function tarballAddress(registry: string, name: string, version: string): string {
  return `${registry.replace(/\/?$/, '/')}${name}/-/${name.slice(name.indexOf('/') + 1)}-${version}.tgz`;
}

/**
 * The app's lockfile: `switchyard` from `tarball` (a path relative to the
 * app), and every package it needs at run time (dependencies and required
 * peers, transitively), placed as in the project's tree, no dev-only package.
 * `aliases` names packages the app depends on itself, installed from the
 * project's alias of them (`{ 'aws-cdk-lib': 'aws-cdk-lib-2-250' }`: the
 * project's `npm:aws-cdk-lib@2.250.0`, placed as the app's `aws-cdk-lib`).
 */
export function appLockfile(project: Lockfile, manifest: { dependencies: Record<string, string>; peerDependencies: Record<string, string>; bin: Record<string, string> }, tarball: string, registry: string, aliases: Record<string, string> = {}): Lockfile {
  const source = project.packages;
  const own = Object.fromEntries(Object.entries(aliases).map(([name, alias]) => [name, source[`node_modules/${alias}`]!.version!]));
  const packages: Record<string, LockEntry> = {
    '': { name: 'user-app', version: '1.0.0', dependencies: { switchyard: `file:${tarball}`, ...own } },
    'node_modules/switchyard': { version: project.version, resolved: `file:${tarball}`, dependencies: manifest.dependencies, peerDependencies: manifest.peerDependencies, bin: manifest.bin },
  };
  /**
   * Where a package at `at` in the project's tree goes in the app's: an
   * aliased package under its real name; what sits under it but is not in
   * its tarball, at the app's top level (npm fetches those on their own).
   */
  const place = (at: string): string => {
    for (const [name, alias] of Object.entries(aliases)) {
      const prefix = `node_modules/${alias}`;
      if (at === prefix) return `node_modules/${name}`;
      if (!at.startsWith(`${prefix}/node_modules/`)) continue;
      const rest = at.slice(`${prefix}/node_modules/`.length);
      const top = rest.split('/node_modules/')[0]!;
      return bundled(source, `${prefix}/node_modules/${top}`) ? `node_modules/${name}/node_modules/${rest}` : `node_modules/${rest}`;
    }
    return at;
  };
  const visit = (from: string, names: string[]): void => {
    for (const name of names) {
      const at = from === '' && aliases[name] !== undefined ? `node_modules/${aliases[name]}` : resolveIn(source, from, name);
      if (at === undefined) throw new Error(`${name} (needed by ${from || 'switchyard'}) is not in package-lock.json`);
      // A bundled dependency comes inside its parent's tarball (added below).
      if (packages[place(at)] || bundled(source, at)) continue;
      const entry = { ...source[at]! };
      delete entry.dev;
      delete entry.devOptional;
      delete entry.inBundle;
      entry.resolved = tarballAddress(registry, typeof entry.name === 'string' ? entry.name : at.slice(at.lastIndexOf('node_modules/') + 'node_modules/'.length), entry.version!);
      packages[place(at)] = entry;
      const peers = Object.keys(entry.peerDependencies ?? {}).filter((p) => !entry.peerDependenciesMeta?.[p]?.optional);
      visit(at, [...Object.keys(entry.dependencies ?? {}), ...peers]);
      // Optional dependencies (platform binaries) only where the project has them.
      visit(at, Object.keys(entry.optionalDependencies ?? {}).filter((o) => resolveIn(source, at, o) !== undefined));
    }
  };
  visit('', [...Object.keys(manifest.dependencies), ...Object.keys(manifest.peerDependencies), ...Object.keys(aliases)]);
  // The project's own copy of an aliased package is not the app's.
  const shadowed = (at: string): boolean => Object.keys(aliases).some((name) => at.startsWith(`node_modules/${name}/`));
  // Bundled dependencies come inside their package's tarball.
  for (const [at, entry] of Object.entries(source)) {
    if (!bundled(source, at) || shadowed(at) || !Object.keys(packages).some((p) => p !== '' && place(at).startsWith(`${p}/node_modules/`))) continue;
    const copy = { ...entry };
    delete copy.dev;
    delete copy.devOptional;
    packages[place(at)] = copy;
  }
  return { name: 'user-app', version: '1.0.0', lockfileVersion: project.lockfileVersion, packages };
}

/**
 * Which modules a piece of code loads, from jest's own module registry: a
 * fresh registry in which each watched module records that it was loaded
 * (and is then the real module), so tests can assert what start-up costs
 * without timing anything.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository root; watched names starting `lib/` are relative to it. */
export const ROOT = path.resolve(__dirname, '..');

const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** Every AWS SDK client and Powertools package the project depends on: the AWS runtime side. */
export const AWS_RUNTIME_PACKAGES = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies }).filter((name) =>
  /^@aws-sdk\/|^@aws-lambda-powertools\//.test(name),
);

/** Runs `act` in a fresh module registry; returns the watched modules it loaded, in load order. */
export async function modulesLoadedBy(watched: readonly string[], act: () => unknown): Promise<string[]> {
  const loaded: string[] = [];
  const target = (name: string): string => (name.startsWith('lib/') ? path.join(ROOT, name) : name);
  await jest.isolateModulesAsync(async () => {
    for (const name of watched) {
      jest.doMock(target(name), () => {
        loaded.push(name);
        return jest.requireActual(target(name));
      });
    }
    try {
      await act();
    } finally {
      for (const name of watched) jest.dontMock(target(name));
    }
  });
  return loaded;
}

/** `require` of a module under the repository root, typed by the caller. */
export function requireFromRoot<T>(file: string): T {
  return require(path.join(ROOT, file)) as T;
}

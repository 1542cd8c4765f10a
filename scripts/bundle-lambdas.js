// Bundles each function the construct deploys into dist/lambda-bundles/<name>/index.js.
// Why: an installed Switchyard package has no lambda/*.ts and no lockfile for
// NodejsFunction to bundle at the user's synth; it deploys these instead
// (lib/cdk/entries.ts), built with the same settings (lib/cdk/bundling.ts).
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.join(__dirname, '..');
const { FUNCTION_NAMES, FUNCTION_BUNDLING } = require(path.join(root, 'dist', 'lib', 'cdk', 'bundling.js'));
for (const name of FUNCTION_NAMES) {
  esbuild.buildSync({
    entryPoints: [path.join(root, 'lambda', `${name}.ts`)],
    outfile: path.join(root, 'dist', 'lambda-bundles', name, 'index.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    // NodejsFunction's defaults, so both bundles resolve packages alike.
    mainFields: ['module', 'main'],
    target: FUNCTION_BUNDLING.target,
    minify: FUNCTION_BUNDLING.minify,
    keepNames: FUNCTION_BUNDLING.keepNames,
    sourcemap: FUNCTION_BUNDLING.sourceMap,
    tsconfig: path.join(root, 'tsconfig.json'),
    logLevel: 'warning',
  });
}

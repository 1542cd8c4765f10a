// Bundles the compiled CLI (dist/bin/switchyard.js) into one file, in place.
// Why: `switchyard run` of a small machine is mostly start-up, and resolving,
// reading and wrapping some seventy separate modules was a third of it. The
// bundle keeps each module's lazy require (a command still loads only what it
// needs) and leaves every package (jsonata, the AWS SDK, ...) to node_modules.
const path = require('node:path');
const esbuild = require('esbuild');

const cli = path.join(__dirname, '..', 'dist', 'bin', 'switchyard.js');
esbuild.buildSync({
  entryPoints: [cli],
  outfile: cli,
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  logLevel: 'warning',
});

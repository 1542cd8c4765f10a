/**
 * How Switchyard's functions are bundled, in one place for the two bundlers:
 * NodejsFunction at synth in the checkout, and scripts/bundle-lambdas.js at
 * build for the installed package's prebuilt bundles.
 */

/** The functions the construct deploys, by the name of their entry file in lambda/. */
export const FUNCTION_NAMES = ['transition', 'invoker', 'api', 'express', 'schedule', 'register'] as const;

/** esbuild settings both bundlers use (the Node.js 22 runtime's target; every package bundled in). */
export const FUNCTION_BUNDLING = { minify: true, keepNames: true, sourceMap: false, target: 'node22' } as const;

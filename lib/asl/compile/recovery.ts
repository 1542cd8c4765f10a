/**
 * Retry and Catch, compiled. Defaults from the States Language: "IntervalSeconds
 * ... default 1 ... MaxAttempts ... default 3 ... BackoffRate ... default 2.0".
 */
import { checkAssignedSize } from './variables';
import { compileJsonata } from '../jsonata';
import { compileResultPath, compileTemplate } from '../jsonpath';
import type { JsonObject, JsonValue } from '../json';
import type { CompiledCatcher, CompiledRetrier, QueryLanguage } from '../model';

export function compileRetriers(state: JsonObject): CompiledRetrier[] {
  const retry = (state.Retry ?? []) as JsonObject[];
  return retry.map((r) => ({
    errorEquals: r.ErrorEquals as string[],
    intervalSeconds: (r.IntervalSeconds as number | undefined) ?? 1,
    maxAttempts: (r.MaxAttempts as number | undefined) ?? 3,
    backoffRate: (r.BackoffRate as number | undefined) ?? 2.0,
    maxDelaySeconds: r.MaxDelaySeconds as number | undefined,
    jitter: r.JitterStrategy === 'FULL' ? 'FULL' : 'NONE',
  }));
}

export function compileCatchers(state: JsonObject, queryLanguage: QueryLanguage): CompiledCatcher[] {
  const catchers = (state.Catch ?? []) as JsonObject[];
  return catchers.map((c): CompiledCatcher => {
    const errorEquals = c.ErrorEquals as string[];
    const next = c.Next as string;
    if (queryLanguage === 'JSONata') {
      const output = c.Output !== undefined ? compileJsonata(c.Output, 'Output') : undefined;
      const assign = c.Assign !== undefined ? compileJsonata(c.Assign, 'Assign') : undefined;
      return {
        errorEquals,
        next,
        async finish(raw, errorOutput, env) {
          const states = { input: raw, errorOutput };
          const [out, assigned] = await Promise.all([
            output ? output.evaluate(states, env) : errorOutput,
            assign ? assign.evaluate(states, env) : undefined,
          ]);
          return { output: out, assigned: checkAssignedSize(assigned as Record<string, JsonValue> | undefined) };
        },
      };
    }
    // "A Catcher's ResultPath ... defaults to $" (States Language, Fallback States).
    const resultPath = compileResultPath(c.ResultPath === undefined ? '$' : (c.ResultPath as string | null));
    const assign = c.Assign !== undefined ? compileTemplate(c.Assign) : undefined;
    return {
      errorEquals,
      next,
      async finish(raw, errorOutput, env) {
        const assigned = assign ? checkAssignedSize(assign.evaluate(errorOutput, env) as Record<string, JsonValue>) : undefined;
        return { output: resultPath.apply(raw, errorOutput), assigned };
      },
    };
  });
}

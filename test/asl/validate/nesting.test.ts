/** Definitions nested past the documented limits are reported, never walked into a stack overflow. */
import { compileStateMachine, parseDefinitionText, validateDefinitionSource } from '../../../lib/asl/compile';
import { InvalidDefinitionError } from '../../../lib/asl/diagnostics';
import { validateDefinition } from '../../../lib/asl/validate';
import { MAX_JSON_DEPTH, MAX_SCOPE_DEPTH } from '../../../lib/asl/validate/nesting';
import { LocalRuntime } from '../../../lib/local/runtime';

/** A machine whose Pass state sits inside `levels` nested Parallel states P<levels> ... P1 (built without recursion). */
function nestedParallel(levels: number): Record<string, unknown> {
  let scope: Record<string, unknown> = { StartAt: 'P0', States: { P0: { Type: 'Pass', Result: 'deep', End: true } } };
  for (let i = 1; i <= levels; i++) scope = { StartAt: `P${i}`, States: { [`P${i}`]: { Type: 'Parallel', Branches: [scope], End: true } } };
  return scope;
}

/** The text of {@link nestedParallel}, built as text: JSON.stringify itself overflows the stack this deep. */
function nestedParallelText(levels: number): string {
  let text = '{"StartAt":"P0","States":{"P0":{"Type":"Pass","End":true}}}';
  for (let i = 1; i <= levels; i++) text = `{"StartAt":"P${i}","States":{"P${i}":{"Type":"Parallel","End":true,"Branches":[${text}]}}}`;
  return text;
}

/** The location of the branch `depth` Parallel states below the top of a {@link nestedParallel} of `levels`. */
function branchAt(levels: number, depth: number): string {
  let pointer = '';
  for (let i = 0; i < depth; i++) pointer += `/States/P${levels - i}/Branches/0`;
  return pointer;
}

/** `levels` objects nested under key `a`, the innermost holding 1. */
function nestedObject(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = { a: 1 };
  for (let i = 1; i < levels; i++) value = { a: value };
  return value;
}

const SCOPE_MESSAGE = `The definition nests Parallel and Map states more than ${MAX_SCOPE_DEPTH} levels deep`;
const JSON_MESSAGE = `The definition nests JSON objects and arrays more than ${MAX_JSON_DEPTH} levels deep`;

describe('definition nesting limits', () => {
  it('accepts and runs Parallel states nested to the limit', async () => {
    const definition = nestedParallel(MAX_SCOPE_DEPTH);
    expect(validateDefinition(definition)).toEqual([]);
    const result = await new LocalRuntime({ timeScale: 0 }).startExecution(definition, { input: {} }).result;
    expect(result.status).toBe('SUCCEEDED');
    let output = result.output;
    for (let i = 0; i < MAX_SCOPE_DEPTH; i++) output = (output as unknown[])[0] as never;
    expect(output).toBe('deep');
  });

  it('reports Parallel states nested one level past the limit at the innermost branch', () => {
    expect(validateDefinition(nestedParallel(MAX_SCOPE_DEPTH + 1))).toEqual([
      { severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', location: branchAt(MAX_SCOPE_DEPTH + 1, MAX_SCOPE_DEPTH + 1), message: SCOPE_MESSAGE },
    ]);
  });

  it('reports 3,000 nested Parallel states from their text instead of overflowing the stack', () => {
    const text = nestedParallelText(3000);
    expect(validateDefinitionSource(text)).toEqual([
      { severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', location: branchAt(3000, MAX_SCOPE_DEPTH + 1), message: SCOPE_MESSAGE },
    ]);
    expect(() => compileStateMachine(text)).toThrow(InvalidDefinitionError);
  });

  it('counts Map item processors (and the older Iterator) as scopes', () => {
    let scope: Record<string, unknown> = { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } };
    let location = '';
    for (let i = 0; i <= MAX_SCOPE_DEPTH; i++) {
      const field = i % 2 ? 'Iterator' : 'ItemProcessor';
      scope = { StartAt: `M${i}`, States: { [`M${i}`]: { Type: 'Map', [field]: scope, End: true } } };
      location = `/States/M${i}/${field}` + location;
    }
    expect(validateDefinition(scope)).toEqual([{ severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', location, message: SCOPE_MESSAGE }]);
  });

  it('accepts and runs Parameters nested to the JSON limit', async () => {
    // The machine, States, the state and Parameters itself are the first four levels.
    const parameters = nestedObject(MAX_JSON_DEPTH - 3);
    const definition = { StartAt: 'A', States: { A: { Type: 'Pass', Parameters: parameters, End: true } } };
    expect(validateDefinition(definition)).toEqual([]);
    const result = await new LocalRuntime({ timeScale: 0 }).startExecution(definition, { input: {} }).result;
    expect(result.output).toEqual(parameters);
  });

  it('reports Parameters nested one level past the JSON limit at the first level too deep', () => {
    const definition = { StartAt: 'A', States: { A: { Type: 'Pass', Parameters: nestedObject(MAX_JSON_DEPTH - 2), End: true } } };
    expect(validateDefinition(definition)).toEqual([
      { severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', location: `/States/A/Parameters${'/a'.repeat(MAX_JSON_DEPTH - 3)}`, message: JSON_MESSAGE },
    ]);
  });

  it('reports Choice rules nested past the JSON limit with Not', () => {
    let rule: Record<string, unknown> = { Variable: '$.n', IsPresent: true };
    for (let i = 0; i < MAX_JSON_DEPTH; i++) rule = { Not: rule };
    const definition = { StartAt: 'C', States: { C: { Type: 'Choice', Choices: [{ ...rule, Next: 'D' }], Default: 'D' }, D: { Type: 'Succeed' } } };
    expect(validateDefinition(definition).map((d) => [d.code, d.message])).toEqual([['SCHEMA_VALIDATION_FAILED', JSON_MESSAGE]]);
  });

  it('reports 100,000 nested arrays parsed from text', () => {
    const text = '['.repeat(100_000) + ']'.repeat(100_000);
    const parsed = parseDefinitionText(text);
    expect(validateDefinition(parsed)).toEqual([{ severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', location: '/0'.repeat(MAX_JSON_DEPTH), message: JSON_MESSAGE }]);
    expect(() => compileStateMachine(text)).toThrow(InvalidDefinitionError);
  });
});

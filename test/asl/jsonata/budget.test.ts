/** A runaway JSONata expression fails its state with States.QueryEvaluationError naming the limit, never freezing the process. */
import { LocalRuntime } from '../../../lib/local/runtime';

async function run(expression: string) {
  const definition = { QueryLanguage: 'JSONata', StartAt: 'P', States: { P: { Type: 'Pass', Output: `{% ${expression} %}`, End: true } } };
  const result = await new LocalRuntime({ timeScale: 0 }).startExecution(definition, { input: {} }).result;
  return { status: result.status, error: result.error, cause: result.cause };
}

describe('JSONata evaluation budget', () => {
  it('stops a recursive function at 500 nested evaluations', async () => {
    const expression = '($f := function($x){ 1 + $f($x) }; $f(1))';
    expect(await run(expression)).toEqual({
      status: 'FAILED',
      error: 'States.QueryEvaluationError',
      cause: `An error occurred while executing the state 'P' (entered at the event id #2). An error occurred while evaluating the JSONata expression '${expression}' specified for the field 'Output': D1011: Stack overflow. Check for non-terminating recursive function.  Consider rewriting as tail-recursive (the limit is 500 nested evaluations)`,
    });
  });

  it('stops a tail-recursive function that never ends after one second', async () => {
    const expression = '($f := function($x){ $f($x) }; $f(1))';
    expect(await run(expression)).toEqual({
      status: 'FAILED',
      error: 'States.QueryEvaluationError',
      cause: `An error occurred while executing the state 'P' (entered at the event id #2). An error occurred while evaluating the JSONata expression '${expression}' specified for the field 'Output': D1012: Evaluation timeout after 1000 milliseconds. Check for infinite loop`,
    });
  });

  const failed = (expression: string, detail: string) => ({
    status: 'FAILED',
    error: 'States.QueryEvaluationError',
    cause: `An error occurred while executing the state 'P' (entered at the event id #2). An error occurred while evaluating the JSONata expression '${expression}' specified for the field 'Output': ${detail}`,
  });

  it('refuses a $pad wider than 10 MiB before building it', async () => {
    const expression = "$length($pad('', 500000000))";
    expect(await run(expression)).toEqual(failed(expression, "$pad's width of 500000000 characters exceeds the limit of 10485760 characters"));
  });

  it('refuses a $join longer than 10 MiB before building it', async () => {
    const expression = "($a := $pad('', 10000000); $join([$a, $a]))";
    expect(await run(expression)).toEqual(failed(expression, "$join's result of 20000000 characters exceeds the limit of 10485760 characters"));
  });

  it('refuses a $string longer than 10 MiB before serializing it', async () => {
    const expression = "($a := $pad('', 1000000); $string([1..20].($a)))";
    expect(await run(expression)).toEqual(failed(expression, "$string's result exceeds the limit of 10485760 characters"));
  });

  it('stops a string built by concatenation past 10 MiB', async () => {
    const expression = "$length($reduce([1..30], function($s, $i){ $s & $s }, 'x'))";
    expect(await run(expression)).toEqual(failed(expression, 'a string of 16777216 characters exceeds the limit of 10485760 characters'));
  });

  it('stops a range past 1,000,000 items', async () => {
    const expression = '$count([1..1e7].([1..100]))';
    expect(await run(expression)).toEqual(failed(expression, 'an array of 10000000 items exceeds the limit of 1000000 items'));
  });

  it('stops a path whose results pass 1,000,000 items', async () => {
    const expression = '$count([1..1000].([1..2000]))';
    expect(await run(expression)).toEqual(failed(expression, 'an array of 2000000 items exceeds the limit of 1000000 items'));
  });

  it('stops an array built by $append past 1,000,000 items', async () => {
    const expression = '($a := [1..600000]; $count($append($a, $a)))';
    expect(await run(expression)).toEqual(failed(expression, 'an array of 1200000 items exceeds the limit of 1000000 items'));
  });

  it('stops an array built by a function past 1,000,000 items', async () => {
    const expression = "$count($split($pad('', 1200000), ''))";
    expect(await run(expression)).toEqual(failed(expression, 'an array of 1200000 items exceeds the limit of 1000000 items'));
  });

  it('leaves $pad and $join as jsonata defines them', async () => {
    const expression = "[$pad('ab', 5), $pad('ab', -5, '#'), $pad('ab', 6, 'xy'), $pad('abc', 2), $join(['a', 'b']), $join(['a', 'b'], '-'), $string({ 'a': [1, 0.1 + 0.2] }), $string([1], true), $string('s'), $string(function(){1})]";
    expect((await new LocalRuntime({ timeScale: 0 }).startExecution({ QueryLanguage: 'JSONata', StartAt: 'P', States: { P: { Type: 'Pass', Output: `{% ${expression} %}`, End: true } } }, { input: {} }).result).output).toEqual(['ab   ', '###ab', 'abxyxy', 'abc', 'ab', 'a-b', '{"a":[1,0.3]}', '[\n  1\n]', 's', '']);
  });
});

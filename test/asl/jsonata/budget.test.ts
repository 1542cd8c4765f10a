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
});

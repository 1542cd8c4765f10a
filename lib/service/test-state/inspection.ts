/**
 * TestState's `inspectionData` at DEBUG and TRACE: the state's data after
 * each step of its input and output processing, as JSON text, as the
 * compiled data flow reports them while the state runs (FlowObserver).
 *
 * JSONPath: afterInputPath, then afterParameters (a Map: afterItemsPath and
 * a static MaxConcurrency instead), then the result, afterResultSelector and
 * afterResultPath. JSONata: the Arguments a task was invoked with, and its
 * result. A Map or Parallel that ran its children shows no result stages.
 * Both: the variables after the state, when there are any.
 */
import type { FlowObserver, FlowStage } from '../../asl/compile/dataflow';
import { selectRequired } from '../../asl/compile/dataflow';
import type { EvalEnv } from '../../asl/env';
import type { JsonObject, JsonValue } from '../../asl/json';
import { compilePath } from '../../asl/jsonpath';

const RESULT_STAGES: readonly FlowStage[] = ['result', 'afterResultSelector', 'afterResultPath'];

/** How the tested state ran, which decides the stages it shows. */
export interface InspectedRun {
  /** The state as given (before a mocked Map or Parallel became a Task). */
  readonly state: JsonObject;
  /** It ran as a Task: a Task, or a mocked Map or Parallel. */
  readonly ranAsTask: boolean;
  readonly input: JsonValue;
  /** The variables after the state. */
  readonly variables: Record<string, JsonValue>;
  /** For a Map's ItemsPath. */
  readonly env: EvalEnv;
}

/** Collects the stages the tested state's data flow reports. */
export class Inspection {
  private readonly stages = new Map<FlowStage, JsonValue>();

  readonly observer: FlowObserver = (stage, value) => {
    this.stages.set(stage, value);
  };

  /** The inspectionData of the run. */
  data(run: InspectedRun): Record<string, unknown> {
    const out: Record<string, unknown> = { input: JSON.stringify(run.input) };
    if (run.state.QueryLanguage === 'JSONata') {
      if (run.ranAsTask) this.show(out, ['afterArguments', 'result']);
    } else {
      this.showJsonPath(run, out);
    }
    if (Object.keys(run.variables).length > 0) out.variables = JSON.stringify(run.variables);
    return out;
  }

  private show(out: Record<string, unknown>, stages: readonly FlowStage[]): void {
    for (const stage of stages) if (this.stages.has(stage)) out[stage] = JSON.stringify(this.stages.get(stage));
  }

  private showJsonPath(run: InspectedRun, out: Record<string, unknown>): void {
    if (!this.stages.has('afterInputPath')) return;
    this.show(out, ['afterInputPath']);
    if (run.state.Type !== 'Map') this.show(out, ['afterParameters']);
    else if (!this.showItems(run, out)) return;
    // A Map's or Parallel's own result is its children's outputs: shown when a mock stood for them.
    if (run.ranAsTask || (run.state.Type !== 'Map' && run.state.Type !== 'Parallel')) this.show(out, RESULT_STAGES);
  }

  /** A Map's afterItemsPath and MaxConcurrency; false when its ItemsPath selects nothing (the run reports that error). */
  private showItems(run: InspectedRun, out: Record<string, unknown>): boolean {
    const effective = this.stages.get('afterInputPath')!;
    const itemsPath = run.state.ItemsPath;
    let items: JsonValue;
    try {
      items = itemsPath === undefined ? effective : selectRequired(compilePath(String(itemsPath)), effective, run.env);
    } catch {
      return false;
    }
    out.afterItemsPath = JSON.stringify(items);
    if (typeof run.state.MaxConcurrency === 'number') out.maxConcurrency = run.state.MaxConcurrency;
    return true;
  }
}

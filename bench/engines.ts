/**
 * The engines the benchmark compares, behind one shape: prepare a definition
 * once, then run executions of it. Peers are loaded only when asked for, so
 * each child process holds exactly one engine.
 */
import type { JsonValue } from '../lib/asl/json';

export interface PreparedMachine {
  /** Runs one execution; resolves with its output, rejects if it did not succeed. */
  run(input: JsonValue): Promise<{ output: JsonValue; transitions?: number }>;
}

export interface Engine {
  readonly name: string;
  prepare(definition: Record<string, unknown>): Promise<PreparedMachine>;
}

export const ENGINE_NAMES = ['switchyard', 'aws-local-stepfunctions', '@wmfs/statebox'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

const switchyard: Engine = {
  name: 'switchyard',
  async prepare(definition) {
    // Loaded here like the peers, so a peer's child process does not load Switchyard too.
    const { LocalRuntime } = require('../lib/local/runtime') as typeof import('../lib/local/runtime');
    new LocalRuntime().compile(definition);
    return {
      async run(input) {
        // A fresh runtime per execution, so finished executions are not retained between samples.
        const result = await new LocalRuntime({ timeScale: 0 }).startExecution(definition, { input }).result;
        if (result.status !== 'SUCCEEDED') throw new Error(`${result.status}: ${result.error} ${result.cause}`);
        return { output: result.output ?? null, transitions: result.transitions };
      },
    };
  },
};

const awsLocalStepFunctions: Engine = {
  name: 'aws-local-stepfunctions',
  async prepare(definition) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a devDependency loaded only in its own child process.
    const { StateMachine } = require('aws-local-stepfunctions') as {
      StateMachine: new (def: unknown, options?: unknown) => { run(input: unknown): { result: Promise<unknown> } };
    };
    const machine = new StateMachine(definition, { validationOptions: { checkPaths: false, checkArn: false } });
    return {
      async run(input) {
        return { output: (await machine.run(input).result) as JsonValue };
      },
    };
  },
};

const statebox: Engine = {
  name: '@wmfs/statebox',
  async prepare(definition) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a devDependency loaded only in its own child process.
    const Statebox = require('@wmfs/statebox') as new (options: unknown) => {
      ready: Promise<void>;
      createStateMachines(machines: Record<string, unknown>, env: unknown): Promise<void>;
      startExecution(input: unknown, name: string, options: unknown): Promise<{ status: string; ctx: JsonValue; errorCode?: string; errorMessage?: string }>;
    };
    const box = new Statebox({});
    await box.ready;
    await box.createStateMachines({ bench: definition }, {});
    return {
      async run(input) {
        const execution = await box.startExecution(input, 'bench', { sendResponse: 'COMPLETE' });
        if (execution.status !== 'SUCCEEDED') throw new Error(`${execution.status}: ${execution.errorCode ?? ''} ${execution.errorMessage ?? ''}`);
        return { output: execution.ctx };
      },
    };
  },
};

export function engine(name: EngineName): Engine {
  switch (name) {
    case 'switchyard':
      return switchyard;
    case 'aws-local-stepfunctions':
      return awsLocalStepFunctions;
    case '@wmfs/statebox':
      return statebox;
  }
}

/** Large values stored once by content hash; frame versions and records round-trip through their stored form. */
import type { JsonValue } from '../../lib/asl/json';
import { FramePhase, FrameStatus, type Frame } from '../../lib/engine/frame';
import { PayloadCodec, VALUE_REF, replaceValue, restoreValue } from '../../lib/service/payload-codec';
import type { FrameVersion } from '../../lib/service/ports';

const ARN = 'arn:aws:states:us-east-1:123456789012:execution:M:e1';

/** A value store that counts its writes and reads. */
function valueStore() {
  const values = new Map<string, string>();
  const calls = { put: 0, get: 0 };
  return {
    values,
    calls,
    async putValue(arn: string, hash: string, json: string) {
      calls.put++;
      values.set(`${arn}|${hash}`, json);
    },
    async getValue(arn: string, hash: string) {
      calls.get++;
      return values.get(`${arn}|${hash}`)!;
    },
  };
}

const big = (): JsonValue => ({ text: 'x'.repeat(3000) });

function frame(input: JsonValue): Frame {
  return { id: 'root', scope: '', version: 2, status: FrameStatus.RUNNING, phase: FramePhase.ENTERING, state: 'P', entry: 1, input, enteredAt: 0, vars: {}, retries: [] };
}

describe('replaceValue and restoreValue', () => {
  it('replace an object by identity and put it back', () => {
    const input = { a: 1 };
    const effects = [{ type: 'Deliver', message: { payload: input, other: { a: 1 } } }];
    const replaced = replaceValue(effects, input, { $frameInput: true });
    expect(replaced).toEqual([{ type: 'Deliver', message: { payload: { $frameInput: true }, other: { a: 1 } } }]);
    const restored = restoreValue(replaced, input) as typeof effects;
    expect(restored).toEqual(effects);
    expect(restored[0].message.payload).toBe(input);
  });

  it('copy nothing that holds no occurrence, and only the path to one that does', () => {
    const input = { a: 1 };
    const starts = { type: 'StartFrames', frames: [{ id: 'root/0.0.0', input: 1 }, { id: 'root/0.0.1', input: 2 }] };
    const none = [starts];
    expect(replaceValue(none, input, { $frameInput: true })).toBe(none);
    expect(restoreValue(none, input)).toBe(none);
    const some = [starts, { type: 'Deliver', message: { payload: input } }];
    const replaced = replaceValue(some, input, { $frameInput: true }) as typeof some;
    expect(replaced).not.toBe(some);
    expect(replaced[0]).toBe(starts);
    expect(replaced[1]).toEqual({ type: 'Deliver', message: { payload: { $frameInput: true } } });
  });

  it('leave a value alone when the target is not an object', () => {
    const value = { n: 3 };
    expect(replaceValue(value, 3, 'x')).toBe(value);
  });
});

describe('PayloadCodec', () => {
  it('keeps a small value as it is and writes nothing', async () => {
    const store = valueStore();
    const value = { small: true };
    expect(await new PayloadCodec(store).refer(ARN, value)).toBe(value);
    expect(store.calls.put).toBe(0);
  });

  it('stores a large value once however often it is referred to', async () => {
    const store = valueStore();
    const codec = new PayloadCodec(store);
    const value = big();
    const first = await codec.refer(ARN, value);
    const again = await codec.refer(ARN, value);
    const equal = await codec.refer(ARN, big());
    expect(first).toEqual({ [VALUE_REF]: expect.any(String) });
    expect([again, equal]).toEqual([first, first]);
    expect(store.calls.put).toBe(1);
  });

  it('resolves a reference from the store in a cold container', async () => {
    const store = valueStore();
    const ref = await new PayloadCodec(store).refer(ARN, big());
    const cold = new PayloadCodec(store);
    expect(await cold.resolve(ARN, ref)).toEqual(big());
    await cold.resolve(ARN, ref);
    expect(store.calls.get).toBe(1);
  });

  it('round-trips a frame version whose outbox repeats the frame’s input', async () => {
    const store = valueStore();
    const input = big();
    const version: FrameVersion = {
      frame: frame(input),
      lc: 4,
      at: 10,
      events: [],
      outbox: { cause: 'Enter|root|1', effects: [{ type: 'ExecutionFinished', status: 'SUCCEEDED', output: input }], done: false },
    };
    const stored = await new PayloadCodec(store).encode(ARN, version);
    expect(stored.frame.input).toEqual({ [VALUE_REF]: expect.any(String) });
    expect(stored.outbox!.effects).toEqual([{ type: 'ExecutionFinished', status: 'SUCCEEDED', output: { $frameInput: true } }]);
    const decoded = await new PayloadCodec(store).decode(ARN, JSON.parse(JSON.stringify(stored)) as FrameVersion);
    expect(decoded).toEqual(version);
  });

  it('marks an outbox that refers to nothing of the input, and reads it back as stored', async () => {
    const store = valueStore();
    const version: FrameVersion = {
      frame: frame(big()),
      lc: 4,
      at: 10,
      events: [],
      outbox: { cause: 'Enter|root|1', effects: [{ type: 'StartFrames', frames: [{ id: 'root/0.0.0', input: 1 }] }], done: false },
    };
    const stored = await new PayloadCodec(store).encode(ARN, version);
    expect(stored.outbox).toEqual({ ...version.outbox, inputRefs: false });
    const decoded = await new PayloadCodec(store).decode(ARN, JSON.parse(JSON.stringify(stored)) as FrameVersion);
    expect(decoded).toEqual({ ...version, outbox: { ...version.outbox, inputRefs: false } });
  });

  it('round-trips an execution record with a large input', async () => {
    const store = valueStore();
    const record = {
      info: { executionArn: ARN, name: 'e1', stateMachineArn: 'sm', stateMachineName: 'M', roleArn: 'r', input: big(), startTime: 0, redriveCount: 0 },
      revisionId: 'rev',
      status: 'RUNNING' as const,
    };
    const codec = new PayloadCodec(store);
    const stored = await codec.encodeRecord(record);
    expect(stored.info.input).toEqual({ [VALUE_REF]: expect.any(String) });
    expect(await new PayloadCodec(store).decodeRecord(ARN, stored)).toEqual(record);
  });
});

describe('PayloadCodec task invocations', () => {
  const invoke = (executionArn: string, attemptId: string) => ({
    type: 'InvokeTask',
    frameId: 'root',
    entry: 1,
    attempt: 0,
    waitForToken: false,
    invocation: { resource: 'arn:aws:lambda:us-east-1:123456789012:function:f', parameters: { n: 1 }, executionArn, stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:M', stateName: 'T', attempt: 0, attemptId },
  });

  it("stores an invocation's execution ARN and attempt id as markers and reads back the same effect, key for key", async () => {
    const codec = new PayloadCodec(valueStore());
    const version: FrameVersion = { frame: frame({ n: 1 }), lc: 1, at: 0, events: [], outbox: { cause: 'c', effects: [invoke(ARN, `${ARN}#root#1#0`)], done: false } };
    const stored = await codec.encode(ARN, version);
    expect((stored.outbox!.effects[0] as { invocation: object }).invocation).toEqual({ ...invoke(ARN, '').invocation, executionArn: '$x', attemptId: '$a' });
    const read = await codec.decode(ARN, JSON.parse(JSON.stringify(stored)) as FrameVersion);
    // Nothing in it refers to the frame's input, so it is marked so (inputRefs), and a read need not walk it.
    expect(JSON.stringify(read.outbox)).toBe(JSON.stringify({ ...version.outbox, inputRefs: false }));
  });

  it('keeps an execution ARN or attempt id that is not what the execution and the effect make', async () => {
    const codec = new PayloadCodec(valueStore());
    const other = 'arn:aws:states:us-east-1:123456789012:execution:M:other';
    const version: FrameVersion = { frame: frame({ n: 1 }), lc: 1, at: 0, events: [], outbox: { cause: 'c', effects: [invoke(other, `${other}#root#1#0`)], done: false } };
    const stored = await codec.encode(ARN, version);
    expect(stored.outbox!.effects).toEqual(version.outbox!.effects);
    expect(await codec.decode(ARN, stored)).toEqual({ ...version, outbox: { ...version.outbox, inputRefs: false } });
  });
});

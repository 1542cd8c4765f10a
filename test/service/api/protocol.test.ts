/** The JSON protocol's dispatch: the action table by name, and the answers to what it does not serve. */
import * as sfn from '@aws-sdk/client-sfn';
import { actions, handleSfnRequest } from '../../../lib/service/api';
import { setup } from '../memory-cloud';

const JSON_1_0 = { 'Content-Type': 'application/x-amz-json-1.0' };

describe('the action table', () => {
  it('names only Step Functions operations (each has its command in the official SDK)', () => {
    const commands = new Set(Object.keys(sfn).filter((k) => k.endsWith('Command')).map((k) => k.slice(0, -'Command'.length)));
    expect(Object.keys(actions).filter((name) => !commands.has(name))).toEqual([]);
    expect(Object.keys(actions)).toHaveLength(37);
  });
});

describe('handleSfnRequest', () => {
  it.each(['Nope', 'constructor', 'toString', 'hasOwnProperty'])('answers the unknown action %s with UnknownOperationException', async (name) => {
    const r = await handleSfnRequest(setup().driver, `AWSStepFunctions.${name}`, '{}');
    expect(r).toEqual({ statusCode: 400, headers: JSON_1_0, body: JSON.stringify({ __type: 'UnknownOperationException', message: `The action ${name} is not valid for this endpoint.` }) });
  });

  it('answers a missing target with UnknownOperationException before reading the body', async () => {
    const r = await handleSfnRequest(setup().driver, undefined, '{oops');
    expect(r).toEqual({ statusCode: 400, headers: JSON_1_0, body: `{"__type":"UnknownOperationException","message":"Missing or unknown X-Amz-Target: ''"}` });
  });

  it('answers a body that is not a JSON object with SerializationException', async () => {
    const r = await handleSfnRequest(setup().driver, 'AWSStepFunctions.ListStateMachines', '[1]');
    expect(r).toEqual({ statusCode: 400, headers: JSON_1_0, body: '{"__type":"SerializationException","message":"The request body must be a JSON object"}' });
  });

  it('answers a failure of Switchyard itself with 500 InternalServerError and logs it', async () => {
    const { driver } = setup();
    jest.spyOn(driver, 'listActivities').mockRejectedValueOnce(new Error('disk on fire'));
    const logged = jest.spyOn(console, 'error').mockImplementation(() => {});
    const r = await handleSfnRequest(driver, 'AWSStepFunctions.ListActivities', '{}');
    expect(r).toEqual({ statusCode: 500, headers: JSON_1_0, body: '{"__type":"InternalServerError","message":"An internal error occurred"}' });
    expect(logged).toHaveBeenCalledTimes(1);
    logged.mockRestore();
  });
});

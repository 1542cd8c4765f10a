/**
 * A DefinitionBody is recognised by its shape, so one made by another copy
 * of aws-cdk-lib (a user's app with its own install) works like our own.
 */
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Stack } from 'aws-cdk-lib';
import { definitionBodyKind, isDefinitionBody } from '../../lib/cdk/definition-body';
import { readDefinition } from '../../lib/cdk/definition';

/** What another aws-cdk-lib copy's DefinitionBody looks like: no class in common with ours. */
class ForeignStringBody {
  constructor(readonly body: string) {}
  bind(): { definitionString: string } {
    return { definitionString: this.body };
  }
}

describe('definitionBodyKind', () => {
  it('tells our own file, string and chain bodies and a definition object apart', () => {
    const chain = new sfn.Pass(new Stack(), 'P');
    expect(definitionBodyKind(sfn.DefinitionBody.fromFile('/defs/a.asl.json'))).toEqual({ kind: 'file', path: '/defs/a.asl.json' });
    expect(definitionBodyKind(sfn.DefinitionBody.fromString('{"StartAt":"A"}'))).toEqual({ kind: 'string', body: '{"StartAt":"A"}' });
    expect(definitionBodyKind(sfn.DefinitionBody.fromChainable(chain))).toEqual({ kind: 'chain', chainable: chain });
    expect(definitionBodyKind({ StartAt: 'A', States: {} })).toEqual({ kind: 'object', definition: { StartAt: 'A', States: {} } });
  });

  it("takes another copy's body for a body, not for a raw definition", () => {
    const foreign = new ForeignStringBody('{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}') as unknown as sfn.DefinitionBody;
    expect(isDefinitionBody(foreign)).toBe(true);
    expect(readDefinition(foreign, 'M')).toEqual({ definition: { StartAt: 'A', States: { A: { Type: 'Succeed' } } }, statements: [] });
  });

  it('calls a body with a bind but no file, string or chain another kind', () => {
    const other = { bind: () => ({}) } as unknown as sfn.DefinitionBody;
    expect(definitionBodyKind(other)).toEqual({ kind: 'other' });
    expect(() => readDefinition(other, 'M')).toThrow('M: this kind of DefinitionBody is not supported; use DefinitionBody.fromFile, fromString or fromChainable, or pass the definition as an object.');
  });
});

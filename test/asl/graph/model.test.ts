import { buildGraph, GRAPH_END, GRAPH_START } from '../../../lib/asl/graph';

describe('buildGraph', () => {
  it('gives each scope its states, Start and End markers, labelled edges and owned child scopes', () => {
    const root = buildGraph({
      StartAt: 'Pick',
      States: {
        Pick: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericGreaterThan: 1, Next: 'Fan' }], Default: 'Done' },
        Fan: { Type: 'Parallel', Branches: [{ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }], Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Done' }], Next: 'Done' },
        Done: { Type: 'Succeed' },
      },
    });
    expect(root.nodes.map((n) => [n.label, n.type])).toEqual([['Start', GRAPH_START], ['Pick', 'Choice'], ['Fan', 'Parallel'], ['Done', 'Succeed'], ['End', GRAPH_END]]);
    const name = new Map(root.nodes.map((n) => [n.id, n.label]));
    expect(root.edges.map((e) => [name.get(e.from), name.get(e.to), e.label ?? null, e.dashed ?? false])).toEqual([
      ['Start', 'Pick', null, false],
      ['Pick', 'Fan', '$.n NumericGreaterThan 1', false],
      ['Pick', 'Done', 'Default', false],
      ['Fan', 'Done', null, false],
      ['Fan', 'Done', 'Catch States.ALL', true],
      ['Done', 'End', null, false],
    ]);
    expect(root.children.map((c) => ({ label: c.label, owner: name.get(c.owner ?? ''), states: c.nodes.map((n) => n.label) }))).toEqual([{ label: 'Fan branch 1', owner: 'Fan', states: ['Start', 'A', 'End'] }]);
  });
});

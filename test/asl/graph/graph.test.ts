/** renderGraph: Mermaid and dot diagrams with Choice rules, Catch edges and nested scopes. */
import { renderGraph } from '../../../lib/asl/graph';

const definition = {
  StartAt: 'Check',
  States: {
    Check: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericGreaterThan: 1, Next: 'Fan' }], Default: 'Done' },
    Fan: {
      Type: 'Parallel',
      Branches: [{ StartAt: 'B1', States: { B1: { Type: 'Pass', End: true } } }],
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Done' }],
      Next: 'Done',
    },
    Done: { Type: 'Succeed' },
  },
};

describe('renderGraph', () => {
  it('draws Choice rules, Default and Catch edges and a subgraph per branch in Mermaid', () => {
    expect(renderGraph(definition, 'mermaid')).toBe(
      [
        'flowchart TD',
        '  s9(("Start"))',
        '  s1{"Check<br/>(Choice)"}',
        '  s3["Fan<br/>(Parallel)"]',
        '  s4["Done<br/>(Succeed)"]',
        '  s2(("End"))',
        '  s9 --> s1',
        '  s1 -->|"$.n NumericGreaterThan 1"| s3',
        '  s1 -->|"Default"| s4',
        '  s3 --> s4',
        '  s3 -.->|"Catch States.ALL"| s4',
        '  s4 --> s2',
        '  subgraph cluster_s5["Fan branch 1"]',
        '    s8(("Start"))',
        '    s6["B1<br/>(Pass)"]',
        '    s7(("End"))',
        '    s8 --> s6',
        '    s6 --> s7',
        '  end',
        '  s3 -.- cluster_s5',
        '',
      ].join('\n'),
    );
  });

  it('draws the same graph in dot with clusters and dashed Catch edges', () => {
    const text = renderGraph(definition, 'dot');
    expect(text.startsWith('digraph StateMachine {\n')).toBe(true);
    expect(text).toContain('subgraph cluster_');
    expect(text).toContain('  s1 [label="Check\\n(Choice)", shape=diamond];\n');
    expect(text).toContain('  s3 -> s4 [label="Catch States.ALL", style=dashed];\n');
    expect(text).toContain('  s3 -> s8 [style=dotted];\n');
    expect(text.trim().endsWith('}')).toBe(true);
  });
});

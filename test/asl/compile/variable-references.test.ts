import { variableReferences } from '../../../lib/asl/compile/variable-references';

describe('variableReferences', () => {
  it('lists the variables a JSONPath state reads in its paths, .$ fields, choice rules and intrinsic arguments', () => {
    const definition = {
      StartAt: 'Choose',
      States: {
        Choose: { Type: 'Choice', Choices: [{ Variable: '$limit', NumericGreaterThanPath: '$.n', Next: 'Shape' }], Default: 'Shape' },
        Shape: { Type: 'Pass', Parameters: { 'greeting.$': "States.Format('{} {}', $name, $.who)", 'plain': '$notAPath', 'id.$': '$$.Execution.Id' }, Assign: { 'copy.$': '$other.x', kept: 1 }, Next: 'Done' },
        Done: { Type: 'Succeed' },
      },
    };
    expect(variableReferences(definition)).toEqual({ Choose: ['limit'], Shape: ['name', 'other'] });
  });

  it('reads JSONata expressions but not $states, function calls, bound names or string literals, and lists nested states by their names', () => {
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'Fan',
      States: {
        Fan: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'B', States: { B: { Type: 'Pass', Output: "{% ($x := $base; $sum([$x, $extra]) & '$quoted') %}", End: true } } }],
          Arguments: '{% $states.input %}',
          End: true,
        },
      },
    };
    expect(variableReferences(definition)).toEqual({ B: ['base', 'extra'] });
  });
});

/** A DISTRIBUTED Map's processor that fails an item whose `n` is negative (Negative, "n < 0") and passes the others on. */
export const CHECK_PROCESSOR = {
  ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
  StartAt: 'Check',
  States: {
    Check: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericLessThan: 0, Next: 'Bad' }], Default: 'Good' },
    Bad: { Type: 'Fail', Error: 'Negative', Cause: 'n < 0' },
    Good: { Type: 'Pass', End: true },
  },
};

/**
 * Step Functions' rule for resource names — state machines, executions,
 * activities and aliases — shared by the API, which refuses a bad name with
 * InvalidName, and the CDK constructs, which refuse it at synth time.
 */

/**
 * One character of a name. Names are 1 to 80 characters, none of them
 * whitespace, brackets `< > { } [ ]`, wildcards `? *`, the specials
 * `" # % \ ^ | ~ \` $ & , ; : /`, or control characters (the API
 * reference's rule). A regular-expression source (for the `u` flag) that the
 * API's ARN patterns embed.
 */
export const NAME_CHARACTER = '[^\\s<>{}\\[\\]?*"#%\\\\^|~`$&,;:/\\u0000-\\u001f\\u007f-\\u009f\\ufffe\\uffff]';

const NAME = new RegExp(`^${NAME_CHARACTER}{1,80}$`, 'u');

/** Step Functions' rule for names of state machines, executions, activities and aliases: 1–80 characters, none of whitespace, brackets, wildcards, special or control characters. */
export function isValidName(name: string): boolean {
  return NAME.test(name);
}

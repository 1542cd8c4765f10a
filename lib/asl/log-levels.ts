/**
 * Step Functions' execution log levels (LoggingConfiguration.level), shared
 * by the API, which refuses another level with a ValidationException, and
 * the CDK construct, which refuses it at synth time.
 */

/** The levels, in the order the API model lists them. */
export const LOG_LEVELS = ['ALL', 'ERROR', 'FATAL', 'OFF'] as const;

/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Whether a value is a log level. */
export function isLogLevel(value: unknown): value is LogLevel {
  return (LOG_LEVELS as readonly unknown[]).includes(value);
}

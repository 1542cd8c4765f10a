/**
 * Execution logs on one machine: `switchyard serve --logs DIR` writes what a
 * deployed Switchyard sends to CloudWatch Logs — each history event a state
 * machine's LoggingConfiguration selects, in Step Functions' log format — as
 * one JSON line per event to `DIR/<log group name>.log` (slashes become
 * underscores), so a laptop run logs what the cloud run would.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EventDraft } from '../engine/events';
import { loggedEvents } from '../service/execution-log';
import type { ExecutionObserver, ExecutionRecord } from '../service/ports';

/** The file a log group's events go to under `dir`. */
export function logFile(dir: string, group: string): string {
  return path.join(dir, `${group.replace(/^\/+/, '').replace(/[/\\]/g, '_')}.log`);
}

/** An observer that appends each logged event to its log group's file under `dir`. */
export function fileExecutionLogs(dir: string): ExecutionObserver {
  fs.mkdirSync(dir, { recursive: true });
  return {
    transitioned(record: ExecutionRecord, events: readonly EventDraft[]) {
      const logged = loggedEvents(record, events);
      if (logged && logged.events.length > 0) fs.appendFileSync(logFile(dir, logged.group), logged.events.map((e) => `${e.message}\n`).join(''));
    },
  };
}

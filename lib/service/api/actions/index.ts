/**
 * The actions Switchyard serves, by the name `X-Amz-Target:
 * AWSStepFunctions.<Action>` gives: one table made of one table per resource.
 * Adding an action is adding its entry (and its shapes) to its resource's file.
 */
import type { Action } from '../action';
import { executionActions } from './executions';
import { mapRunActions } from './map-runs';
import { stateMachineActions } from './state-machines';
import { tagActions } from './tags';
import { taskAndActivityActions } from './tasks-and-activities';
import { validationActions } from './validation';
import { versionAndAliasActions } from './versions-and-aliases';

const byName = {
  ...stateMachineActions,
  ...versionAndAliasActions,
  ...executionActions,
  ...mapRunActions,
  ...taskAndActivityActions,
  ...tagActions,
  ...validationActions,
};

/** The Step Functions actions Switchyard serves. */
export type ActionName = keyof typeof byName;

/** Each action's handler, typed by its request and response shapes. */
export type ActionTable = { readonly [A in ActionName]: (typeof byName)[A] };

/** Every action, by name, typed by its shapes. */
export const actions: ActionTable = byName;

/** The same table as the protocol calls it: by a name read from the request, with the body as sent. */
export const servable: Readonly<Record<ActionName, Action<unknown, unknown>>> = actions;

/** Whether `name` is an action Switchyard serves (own keys only: `constructor` or `toString` are not actions). */
export function isActionName(name: string): name is ActionName {
  return Object.hasOwn(servable, name);
}

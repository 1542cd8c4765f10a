/** Nested workflows: `states:startExecution` tasks run as executions of the same driver, and a child's end completing its `.sync` parent. */
export { nestedExecutionRunner, startExecutionResponse, withNestedExecutions, type NestedExecutions, type NestedParent } from './start-execution';
export { completeParent, describedChild, parentCompletion, type ChildEnd, type ParentCompletion, type TokenCompleter } from './child-end';

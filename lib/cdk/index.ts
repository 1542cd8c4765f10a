/** Deploy Switchyard with the AWS CDK: the construct and its state machines. */
export { Switchyard, type SwitchyardProps, type ApiThrottling, type FrontDoorKind } from './switchyard';
export { YardStateMachine, type YardStateMachineProps, type YardSchedule, type YardLogOptions } from './state-machine';
export { DefinitionError, type DefinitionSource } from './definition';
export { scheduleExpressionProblem } from './schedule-expression';

/**
 * A small stand-in for Amazon ECS's API on 127.0.0.1 (the JSON 1.1 protocol
 * `@aws-sdk/client-ecs` speaks: `POST /` with `X-Amz-Target:
 * AmazonEC2ContainerServiceV20141113.<Action>`; timestamps as epoch
 * seconds): RunTask, DescribeTasks and StopTask over tasks held in memory.
 * RunTask is idempotent on its `clientToken`, which the client fills in when
 * the caller gives none. A task runs until the test stops it (`finish`, or
 * StopTask); each status change is emitted as the "ECS Task State Change"
 * event EventBridge delivers (the task, its timestamps as ISO 8601 text),
 * which is what drives `ecs:runTask.sync` in the cloud.
 */
import { randomUUID } from 'node:crypto';
import { json11Protocol, startStandIn, stateChanges, type StandInAnswer, type StandInRequest, type StateChangeEvent } from './stand-in-server';

/** The members of a task that are timestamps: epoch seconds on the API's wire, ISO 8601 text in its events. */
const TIMES = ['createdAt', 'pullStartedAt', 'pullStoppedAt', 'startedAt', 'stoppingAt', 'stoppedAt', 'executionStoppedAt'] as const;
type TaskTime = (typeof TIMES)[number];

/** A task as ECS describes it (the fields the stand-in keeps). */
export interface EcsTask extends Partial<Record<TaskTime, number>> {
  taskArn: string;
  clusterArn: string;
  taskDefinitionArn: string;
  lastStatus: 'PROVISIONING' | 'RUNNING' | 'STOPPED';
  desiredStatus: 'RUNNING' | 'STOPPED';
  launchType?: string;
  startedBy?: string;
  group: string;
  stopCode?: 'EssentialContainerExited' | 'UserInitiated';
  stoppedReason?: string;
  containers: { name: string; lastStatus: string; exitCode?: number }[];
  overrides: Record<string, unknown>;
}

/** A task as its state-change event carries it. */
export type EcsTaskDetail = Omit<EcsTask, TaskTime> & Partial<Record<TaskTime, string>>;

/** The EventBridge event of a task's status change. */
export type TaskStateChange = StateChangeEvent<EcsTaskDetail>;

/** The task as its event carries it: its timestamps as ISO 8601 text. */
function detailOf(task: EcsTask): EcsTaskDetail {
  const detail: Record<string, unknown> = { ...task };
  for (const member of TIMES) if (task[member] !== undefined) detail[member] = new Date(task[member] * 1000).toISOString();
  return detail as EcsTaskDetail;
}

export interface EcsEndpoint {
  url: string;
  readonly tasks: Map<string, EcsTask>;
  /** Every request's action and input, in order. */
  readonly requests: readonly StandInRequest[];
  /** Subscribes to task state changes (what an EventBridge rule on `aws.ecs` would deliver). */
  onStateChange(listener: (event: TaskStateChange) => void): void;
  /** Stops a task as if its essential container exited with `exitCode`. */
  finish(taskArn: string, exitCode: number): void;
  close(): Promise<void>;
}

const TARGET = 'AmazonEC2ContainerServiceV20141113.';

/**
 * Starts the stand-in. With `sequentialIds`, task and request ids count up
 * (`00…01`, `request-1`) instead of being random and times are fixed, so two
 * runs of one definition (in-process and through the cloud driver) give
 * identical histories.
 */
export async function startEcsEndpoint(region = 'us-east-1', account = '123456789012', options: { sequentialIds?: boolean } = {}): Promise<EcsEndpoint> {
  let counted = 0;
  const nextId = () => (options.sequentialIds ? String(++counted).padStart(32, '0') : randomUUID().replace(/-/g, ''));
  // Fractional seconds, as ECS sends them (the client keeps their milliseconds).
  const now = () => (options.sequentialIds ? 1_700_000_000.123 : Date.now() / 1000);
  const tasks = new Map<string, EcsTask>();
  const byClientToken = new Map<string, EcsTask>();
  const events = stateChanges<EcsTaskDetail>('aws.ecs', 'ECS Task State Change', account, region);
  const clusterArn = (name: unknown) => (typeof name === 'string' && name.startsWith('arn:') ? name : `arn:aws:ecs:${region}:${account}:cluster/${typeof name === 'string' ? name : 'default'}`);
  const emit = (task: EcsTask) => events.emit([task.taskArn], detailOf(task));
  const stop = (task: EcsTask, stopCode: NonNullable<EcsTask['stopCode']>, reason: string, exitCode?: number) => {
    Object.assign(task, { lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stopCode, stoppedReason: reason, stoppingAt: now(), executionStoppedAt: now(), stoppedAt: now() });
    for (const c of task.containers) Object.assign(c, { lastStatus: 'STOPPED', ...(exitCode !== undefined ? { exitCode } : {}) });
    emit(task);
  };

  const actions: Record<string, (input: Record<string, unknown>) => StandInAnswer> = {
    RunTask(input) {
      if (typeof input.taskDefinition !== 'string') return { status: 400, error: 'InvalidParameterException', message: 'taskDefinition can not be blank.' };
      if (input.cluster === 'missing') return { status: 400, error: 'ClusterNotFoundException', message: 'Cluster not found.' };
      // The same request again (its token): the task it started, not a second one.
      const again = typeof input.clientToken === 'string' ? byClientToken.get(input.clientToken) : undefined;
      if (again) return { output: { tasks: [again], failures: [] } };
      const cluster = clusterArn(input.cluster);
      const family = input.taskDefinition.replace(/^arn:.*:task-definition\//, '').split(':')[0]!;
      const id = nextId();
      const task: EcsTask = {
        taskArn: `arn:aws:ecs:${region}:${account}:task/${cluster.split('/').pop()}/${id}`,
        clusterArn: cluster,
        taskDefinitionArn: `arn:aws:ecs:${region}:${account}:task-definition/${input.taskDefinition.includes(':') ? input.taskDefinition.replace(/^arn:.*:task-definition\//, '') : `${family}:1`}`,
        lastStatus: 'PROVISIONING',
        desiredStatus: 'RUNNING',
        createdAt: now(),
        ...(typeof input.launchType === 'string' ? { launchType: input.launchType } : {}),
        ...(typeof input.startedBy === 'string' ? { startedBy: input.startedBy } : {}),
        group: `family:${family}`,
        containers: [{ name: family, lastStatus: 'PENDING' }],
        overrides: (input.overrides as Record<string, unknown> | undefined) ?? {},
      };
      tasks.set(task.taskArn, task);
      if (typeof input.clientToken === 'string') byClientToken.set(input.clientToken, task);
      emit(task);
      return { output: { tasks: [task], failures: [] } };
    },
    DescribeTasks(input) {
      const arns = Array.isArray(input.tasks) ? (input.tasks as string[]) : [];
      return { output: { tasks: arns.flatMap((a) => (tasks.has(a) ? [tasks.get(a)] : [])), failures: arns.filter((a) => !tasks.has(a)).map((arn) => ({ arn, reason: 'MISSING' })) } };
    },
    StopTask(input) {
      const task = tasks.get(String(input.task));
      if (!task) return { status: 400, error: 'InvalidParameterException', message: 'The referenced task was not found.' };
      stop(task, 'UserInitiated', typeof input.reason === 'string' ? input.reason : 'Task stopped by user');
      return { output: { task } };
    },
  };

  const server = await startStandIn(actions, json11Protocol(TARGET, options.sequentialIds));
  return {
    url: server.url,
    tasks,
    requests: server.requests,
    onStateChange: (listener) => events.on(listener),
    finish(taskArn, exitCode) {
      const task = tasks.get(taskArn);
      if (!task) throw new Error(`The stand-in has no task ${taskArn}.`);
      Object.assign(task, { lastStatus: 'RUNNING', pullStartedAt: now(), pullStoppedAt: now(), startedAt: now() });
      for (const c of task.containers) c.lastStatus = 'RUNNING';
      emit(task);
      stop(task, 'EssentialContainerExited', 'Essential container in task exited', exitCode);
    },
    close: () => server.close(),
  };
}

/** The task token actions (success, failure, heartbeat) and the activity actions (create, describe, delete, list, poll). */
import { ServiceErrorName } from '../../../engine/service-errors';
import { action, tokenResource } from '../action';
import { checkAwsLength } from '../aws-limits';
import { encryptionConfiguration } from '../encryption';
import { Arn, paginate, parseJsonMember, seconds, tagList } from '../members';
import type * as S from '../shapes/tasks-and-activities';

export const taskAndActivityActions = {
  SendTaskSuccess: action<S.SendTaskSuccessInput, S.SendTaskSuccessOutput>({ resources: (r, place) => [tokenResource(r.required('taskToken'), place)] }, async (request, driver) => {
    const token = request.required('taskToken');
    checkAwsLength(driver, 'output', request.required('output'));
    const output = parseJsonMember(request.required('output'), ServiceErrorName.InvalidOutput, 'output');
    await driver.sendTaskSuccess(token, output ?? null);
    return {};
  }),

  SendTaskFailure: action<S.SendTaskFailureInput, S.SendTaskFailureOutput>({ resources: (r, place) => [tokenResource(r.required('taskToken'), place)] }, async (request, driver) => {
    const token = request.required('taskToken');
    checkAwsLength(driver, 'error', request.string('error'));
    checkAwsLength(driver, 'cause', request.string('cause'));
    await driver.sendTaskFailure(token, request.string('error'), request.string('cause'));
    return {};
  }),

  SendTaskHeartbeat: action<S.SendTaskHeartbeatInput, S.SendTaskHeartbeatOutput>({ resources: (r, place) => [tokenResource(r.required('taskToken'), place)] }, async (request, driver) => {
    await driver.sendTaskHeartbeat(request.required('taskToken'));
    return {};
  }),

  CreateActivity: action<S.CreateActivityInput, S.CreateActivityOutput>({ resources: (r, place) => [place.activityArn(r.name('name'))], requestTags: 'tags' }, async (request, driver, call) => {
    const name = request.name('name');
    const tags = tagList(request.raw('tags'));
    const encryption = encryptionConfiguration(request.raw('encryptionConfiguration'));
    const a = await driver.createActivity(name, { ...(call.region !== undefined ? { region: call.region } : {}), ...(encryption ? { encryptionConfiguration: encryption } : {}) });
    if (tags) await driver.tagResource(a.activityArn, tags);
    return { activityArn: a.activityArn, creationDate: seconds(a.creationDate) };
  }),

  DescribeActivity: action<S.DescribeActivityInput, S.DescribeActivityOutput>({ resources: (r) => [r.arn('activityArn', Arn.activity)] }, async (request, driver) => {
    const a = await driver.describeActivity(request.arn('activityArn', Arn.activity));
    return { activityArn: a.activityArn, name: a.name, creationDate: seconds(a.creationDate), ...(a.encryptionConfiguration ? { encryptionConfiguration: a.encryptionConfiguration } : {}) };
  }),

  DeleteActivity: action<S.DeleteActivityInput, S.DeleteActivityOutput>({ resources: (r) => [r.arn('activityArn', Arn.activity)] }, async (request, driver) => {
    await driver.deleteActivity(request.arn('activityArn', Arn.activity));
    return {};
  }),

  ListActivities: action<S.ListActivitiesInput, S.ListActivitiesOutput>({ resources: (_, place) => [place.activityArn('*')] }, async (request, driver) => {
    const { page, nextToken } = paginate(await driver.listActivities(), request, 'a1');
    return { activities: page.map((a) => ({ activityArn: a.activityArn, name: a.name, creationDate: seconds(a.creationDate) })), ...(nextToken ? { nextToken } : {}) };
  }),

  GetActivityTask: action<S.GetActivityTaskInput, S.GetActivityTaskOutput>({ resources: (r) => [r.arn('activityArn', Arn.activity)] }, async (request, driver) => {
    const arn = request.arn('activityArn', Arn.activity);
    return (await driver.getActivityTask(arn, request.string('workerName'))) ?? {};
  }),
};

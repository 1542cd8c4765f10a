/** The tagging actions: tag, untag and list the tags of a state machine or an activity. */
import { ServiceErrorName } from '../../../engine/service-errors';
import { action } from '../action';
import { fail, tagList } from '../members';
import type * as S from '../shapes/tags';

export const tagActions = {
  TagResource: action<S.TagResourceInput, S.TagResourceOutput>({ resources: (r) => [r.required('resourceArn')], requestTags: 'tags' }, async (request, driver) => {
    await driver.tagResource(request.required('resourceArn'), tagList(request.raw('tags')) ?? {});
    return {};
  }),

  UntagResource: action<S.UntagResourceInput, S.UntagResourceOutput>({ resources: (r) => [r.required('resourceArn')], requestTags: 'tagKeys' }, async (request, driver) => {
    const keys = request.raw('tagKeys');
    if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) fail(ServiceErrorName.ValidationException, 'tagKeys must be a list of strings');
    await driver.untagResource(request.required('resourceArn'), keys as string[]);
    return {};
  }),

  ListTagsForResource: action<S.ListTagsForResourceInput, S.ListTagsForResourceOutput>({ resources: (r) => [r.required('resourceArn')] }, async (request, driver) => {
    const tags = await driver.listTags(request.required('resourceArn'));
    return { tags: Object.entries(tags).map(([key, value]) => ({ key, value })) };
  }),
};

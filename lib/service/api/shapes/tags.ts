/** Request and response shapes of the tagging actions, named as Step Functions' API model names them. */
import type { Tag } from '../members';

export interface TagResourceInput {
  resourceArn: string;
  tags: Tag[];
}

export type TagResourceOutput = Record<string, never>;

export interface UntagResourceInput {
  resourceArn: string;
  tagKeys: string[];
}

export type UntagResourceOutput = Record<string, never>;

export interface ListTagsForResourceInput {
  resourceArn: string;
}

export interface ListTagsForResourceOutput {
  tags: Tag[];
}

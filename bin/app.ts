#!/usr/bin/env node
/**
 * The deployable app: `npx cdk deploy` gives a Switchyard with the example
 * state machines in the account and region of the current AWS credentials.
 */
import { App } from 'aws-cdk-lib';
import { DemoStack } from '../lib/cdk/demo-stack';

const app = new App();
new DemoStack(app, 'Switchyard', {
  description: 'Switchyard: an Amazon States Language orchestrator with example state machines',
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});

/**
 * The console's tools in a real browser, against `switchyard serve`: answering
 * a task that waits for a callback, Map runs by iteration, the definition
 * editor, large payloads, bad input, and the same console through
 * `switchyard console` forwarding signed calls to a stand-in front door.
 * Screenshots go to test-artifacts/console/.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { consoleCommand, type ConsoleServer } from '../../lib/cli/console';
import { serveCommand } from '../../lib/cli/serve';
import type { LocalServer } from '../../lib/local/server';
import { startSignedFrontDoor, type SignedFrontDoor } from '../../harness/signed-front-door';
import { launchBrowser } from './browser';

const ROOT = path.join(__dirname, '..', '..');
const SHOTS = path.join(ROOT, 'test-artifacts', 'console');
const ARN = 'arn:aws:states:us-east-1:123456789012';
const machineArn = (name: string): string => `${ARN}:stateMachine:${name}`;
const quiet = { stdout: () => {}, stderr: () => {}, cwd: ROOT };

let server: LocalServer;
let browser: Browser;
let page: Page;

async function finished(executionArn: string): Promise<string> {
  for (;;) {
    const d = await server.driver.describeExecution(executionArn);
    if (d.status !== 'RUNNING') return d.status;
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function start(name: string, input: unknown): Promise<string> {
  return (await server.driver.startExecution(machineArn(name), { input: input as never })).executionArn;
}

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

async function openExecution(executionArn: string): Promise<void> {
  await page.goto(`${server.url}/#/executions/${encodeURIComponent(executionArn)}`);
  await page.waitForSelector('svg.graph g.node');
  await page.waitForSelector('.history-spacer .history-row');
}

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  browser = await launchBrowser();
  server = await serveCommand({ port: '0', quiet: true }, quiet);
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
});

afterAll(async () => {
  await browser?.close();
  await server?.close().catch(() => {});
});

it('answers a waiting callback task with Send success, refusing malformed output first', async () => {
  const arn = await start('human-approval', { orderId: 'o-1', amount: 10 });
  await openExecution(arn);
  await page.waitForSelector('.callbacks .callback .send-success');
  expect(await page.textContent('.callbacks .callback-head strong')).toBe('RequestApproval');
  const token = await page.textContent('.callbacks .callback-token code');
  const parameters = (await server.driver.getExecutionHistory(arn)).find((e) => e.type === 'TaskScheduled')?.taskScheduledEventDetails?.parameters;
  expect(token).toBe((JSON.parse(String(parameters)) as { Payload: { token: string } }).Payload.token);
  await page.fill('.callback-output', '{"approved": tru');
  expect(await page.textContent('.callbacks .form-message')).toMatch(/^The output is not valid JSON: /);
  expect(await page.isDisabled('.send-success')).toBe(true);
  await shot('13-callback-waiting');
  await page.fill('.callback-output', '{"approved": true, "approver": "console"}');
  await page.click('.send-success');
  await page.waitForSelector('.title-row .badge-succeeded');
  expect(await finished(arn)).toBe('SUCCEEDED');
  expect(await page.isHidden('.callbacks')).toBe(true);
  expect(JSON.parse((await page.textContent('.io div:last-child pre')) ?? '')).toEqual({ orderId: 'o-1', status: 'APPROVED', approver: 'console' });
});

it('answers a waiting callback task with Send failure: error and cause', async () => {
  const arn = await start('human-approval', { orderId: 'o-2', amount: 10 });
  await openExecution(arn);
  await page.waitForSelector('.callbacks .send-failure');
  await page.fill('.callback-error', 'Rejected');
  await page.fill('.callback-cause', 'Too expensive');
  await page.click('.send-failure');
  await page.waitForSelector('.title-row .badge-failed');
  const history = await server.driver.getExecutionHistory(arn);
  expect(history.find((e) => e.type === 'TaskFailed')?.taskFailedEventDetails).toMatchObject({ error: 'Rejected', cause: 'Too expensive' });
  expect(await page.textContent('.execution-error .error-name')).toBe('Error: OrderNotApproved');
});

it('lists a Map run by iteration with status, and shows one iteration’s events', async () => {
  const item = { StartAt: 'Check', States: { Check: { Type: 'Choice', Choices: [{ Variable: '$', NumericEquals: 7, Next: 'Boom' }], Default: 'Ok' }, Boom: { Type: 'Fail', Error: 'Item.Bad', Cause: 'seven' }, Ok: { Type: 'Pass', End: true } } };
  await server.driver.putStateMachine('mapper', JSON.stringify({ StartAt: 'Each', States: { Each: { Type: 'Map', MaxConcurrency: 1, ItemProcessor: item, End: true } } }));
  const arn = await start('mapper', Array.from({ length: 12 }, (_, i) => i));
  expect(await finished(arn)).toBe('FAILED');
  await openExecution(arn);
  await page.waitForSelector('.map-run button.iteration');
  const chips = await page.$$eval('.map-run button.iteration', (els) => els.map((e) => `${e.textContent} ${/status-(\w+)/.exec(e.className)?.[1]}`));
  expect(chips).toEqual([...Array.from({ length: 7 }, (_, i) => `#${i} succeeded`), '#7 failed']);
  await page.selectOption('.iteration-status', 'failed');
  expect(await page.$$eval('.map-run button.iteration', (els) => els.map((e) => e.textContent))).toEqual(['#7']);
  await page.click('.map-run button.iteration[data-index="7"]');
  await page.waitForSelector('.history-focus:not([hidden])');
  expect(await page.textContent('.history-focus')).toContain('Only iteration #7 of Each');
  const types = await page.$$eval('.history-spacer .history-row span:nth-child(2)', (s) => s.map((x) => x.textContent));
  expect(types).toEqual(['MapIterationStarted', 'ChoiceStateEntered', 'ChoiceStateExited', 'FailStateEntered', 'MapIterationFailed']);
  await shot('14-map-iterations');
  await page.click('.history-focus .clear-focus');
  expect(await page.textContent('.history-count')).toBe(`${(await server.driver.getExecutionHistory(arn)).length} events`);
});

it('edits a definition: diagnostics at their lines, the graph redrawn as typed, then creates and updates the machine', async () => {
  await page.goto(`${server.url}/#/definition/new`);
  await page.waitForSelector('.definition-verdict.ok');
  expect(await page.$$eval('.definition-graph g.node', (els) => els.map((e) => e.getAttribute('data-state')))).toEqual(['Hello']);
  const broken = JSON.stringify({ StartAt: 'First', States: { First: { Type: 'Pass', Next: 'Nowhere' }, Second: { Type: 'Succeed' } } }, null, 2);
  await page.fill('.definition-editor', broken);
  await page.waitForSelector('.definition-verdict.invalid');
  await page.waitForSelector('.diagnostic[data-location="/States/First/Next"]');
  expect(await page.textContent('.diagnostic[data-location="/States/First/Next"] .diagnostic-where')).toBe('line 6, column 7');
  expect(await page.$$eval('.code-line.error', (els) => els.map((e) => e.getAttribute('data-line')))).toEqual(['3', '6', '8']);
  expect((await page.$$eval('.definition-graph g.node', (els) => els.map((e) => e.getAttribute('data-state')))).sort()).toEqual(['First', 'Second']);
  expect(await page.getAttribute('.definition-graph g.node[data-state="First"]', 'class')).toContain('status-failed');
  await page.click('.diagnostic[data-location="/States/First/Next"]');
  const selected = await page.$eval('textarea.definition-editor', (el) => {
    const t = el as unknown as { value: string; selectionStart: number; selectionEnd: number };
    return t.value.slice(t.selectionStart, t.selectionEnd);
  });
  expect(selected).toBe('"Next": "Nowhere"');
  expect(await page.isDisabled('.definition-save')).toBe(true);
  await shot('15-definition-diagnostics');
  await page.fill('.definition-editor', '{"StartAt": "A", "States": {');
  await page.waitForSelector('.diagnostic[data-location=""] .diagnostic-code:text("ERROR INVALID_JSON")');
  expect(await page.textContent('.definition-verdict')).toBe('The definition is not valid JSON.');
  const fixed = JSON.stringify({ StartAt: 'First', States: { First: { Type: 'Pass', Next: 'Second' }, Second: { Type: 'Succeed' } } }, null, 2);
  await page.fill('.definition-editor', fixed);
  await page.waitForSelector('.definition-verdict.ok');
  await page.fill('.definition-name', 'edited');
  await page.click('.definition-save');
  await page.waitForURL(/#\/state-machines\//);
  expect(JSON.parse((await server.driver.describeStateMachine(machineArn('edited'))).definition)).toEqual(JSON.parse(fixed));
  await page.click('a.edit-definition');
  await page.waitForSelector('.definition-verdict.ok');
  const longer = JSON.stringify({ StartAt: 'First', States: { First: { Type: 'Pass', Next: 'Third' }, Third: { Type: 'Pass', Next: 'Second' }, Second: { Type: 'Succeed' } } }, null, 2);
  await page.fill('.definition-editor', longer);
  await page.waitForSelector('.definition-graph g.node[data-state="Third"]');
  await page.waitForSelector('.definition-verdict.ok');
  await page.click('.definition-save');
  await page.waitForSelector('.form-message:text("Updated.")');
  expect(JSON.parse((await server.driver.describeStateMachine(machineArn('edited'))).definition)).toEqual(JSON.parse(longer));
  await shot('16-definition-updated');
});

it('folds a large output under its size, opens it pretty-printed, and downloads it', async () => {
  await server.driver.putStateMachine('large', JSON.stringify({ StartAt: 'Big', States: { Big: { Type: 'Pass', End: true } } }));
  const rows = Array.from({ length: 300 }, (_, i) => ({ id: i, note: `<b>row ${i}</b>` }));
  const arn = await start('large', { rows });
  expect(await finished(arn)).toBe('SUCCEEDED');
  await openExecution(arn);
  const output = '.io div:last-child .payload-large';
  await page.waitForSelector(output);
  expect(await page.isVisible(`${output} pre`)).toBe(false);
  expect(await page.textContent(`${output} .payload-size`)).toMatch(/^\d+\.\d KB, 1204 lines$/);
  await page.click(`${output} summary`);
  expect(await page.isVisible(`${output} pre`)).toBe(true);
  const shown = (await page.textContent(`${output} pre`)) ?? '';
  expect(shown).toBe(JSON.stringify({ rows }, null, 2));
  expect(await page.$$(`${output} pre b`)).toHaveLength(0);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(`${output} a.download`)]);
  expect(download.suggestedFilename()).toMatch(/-output\.json$/);
  expect(JSON.parse(fs.readFileSync(await download.path(), 'utf8'))).toEqual({ rows });
  await shot('17-large-output');
});

it('says so on the page for a missing execution, a missing state machine and a slow server', async () => {
  await page.goto(`${server.url}/#/executions/${encodeURIComponent(`${ARN}:execution:hello-world:no-such-run`)}`);
  await page.waitForSelector('.notice .error-box');
  expect(await page.textContent('.notice .error-box')).toContain('ExecutionDoesNotExist');
  expect(await page.isVisible('.loading')).toBe(false);
  await shot('18-missing-execution');
  await page.goto(`${server.url}/#/definition/${encodeURIComponent(machineArn('gone'))}`);
  await page.waitForSelector('.error-box');
  expect(await page.textContent('.error-box')).toContain('StateMachineDoesNotExist');
  // A server that takes longer than the console waits (?timeout=1): the call is given up with a message.
  await page.route(`${server.url}/`, async (route) => (route.request().method() === 'POST' ? new Promise(() => {}) : route.continue()));
  await page.goto(`${server.url}/?timeout=1#/`);
  await page.waitForSelector('.error-box');
  expect(await page.textContent('.error-box')).toContain(`The Switchyard server at ${server.url} did not answer ListStateMachines within 1 s.`);
  await shot('19-slow-server');
  await page.unrouteAll({ behavior: 'ignoreErrors' });
});

describe('switchyard console --endpoint', () => {
  const credentials = { accessKeyId: 'AKIDE2E', secretAccessKey: 'e2e-secret' };
  let door: SignedFrontDoor;
  let proxy: ConsoleServer;

  beforeAll(async () => {
    door = await startSignedFrontDoor({ upstream: server.url, credentials, region: 'eu-west-1' });
    proxy = await consoleCommand({ endpoint: door.url, region: 'eu-west-1', port: '0' }, quiet, credentials);
  });
  afterAll(async () => {
    await proxy?.close();
    await door?.close();
  });

  it('serves the console, whose signed calls list the deployed state machines', async () => {
    await page.goto(`${proxy.url}/`);
    await page.waitForSelector(`tr[data-arn="${machineArn('hello-world')}"] td.count[data-status]`);
    const names = await page.$$eval('table.machines tbody tr td:first-child', (tds) => tds.map((td) => td.textContent));
    expect(names).toEqual(expect.arrayContaining(['hello-world', 'human-approval', 'order-fulfilment', 'edited']));
    expect(door.requests.length).toBeGreaterThan(0);
    expect(door.requests.every((r) => r.signed && r.path === '/v1/' && r.target?.startsWith('AWSStepFunctions.'))).toBe(true);
    await shot('20-through-console-proxy');
  });
});

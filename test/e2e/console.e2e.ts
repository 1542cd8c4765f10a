/**
 * The web console in a real browser, against `switchyard serve` with the
 * examples: graphs coloured by status, a failed execution's error and cause,
 * starting and stopping executions from the page, the history's filters, a
 * large machine and a long history, and a server that has gone away.
 * Screenshots go to test-artifacts/console/.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { serveCommand } from '../../lib/cli/serve';
import type { LocalServer } from '../../lib/local/server';
import { launchBrowser } from './browser';

const ROOT = path.join(__dirname, '..', '..');
const SHOTS = path.join(ROOT, 'test-artifacts', 'console');
const ARN = 'arn:aws:states:us-east-1:123456789012';
const machineArn = (name: string): string => `${ARN}:stateMachine:${name}`;
const readJson = (file: string): string => fs.readFileSync(path.join(ROOT, 'examples', file), 'utf8');

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

async function start(name: string, input: string): Promise<string> {
  const { executionArn } = await server.driver.startExecution(machineArn(name), { input: JSON.parse(input) });
  return executionArn;
}

/** Every state name in a definition, at every depth. */
function stateNames(definition: { States: Record<string, { Branches?: unknown[]; ItemProcessor?: unknown; Iterator?: unknown }> }): string[] {
  return Object.entries(definition.States).flatMap(([name, state]) => [name, ...[...(state.Branches ?? []), state.ItemProcessor ?? state.Iterator].filter((x) => x !== undefined).flatMap((s) => stateNames(s as typeof definition))]);
}

/** Each drawn state's name and status class. */
async function drawnStatuses(): Promise<Record<string, string>> {
  const pairs = await page.$$eval('svg.graph g.node', (els) => els.map((e) => [e.getAttribute('data-state') ?? '', /status-(\w+)/.exec(e.getAttribute('class') ?? '')?.[1] ?? '']));
  return Object.fromEntries(pairs);
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
  server = await serveCommand({ port: '0' }, { stdout: () => {}, stderr: () => {}, cwd: ROOT });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
});

afterAll(async () => {
  await browser?.close();
  await server?.close().catch(() => {});
});

it('lists the state machines with their executions counted by status', async () => {
  const ok = await start('hello-world', readJson('hello-world/input.json'));
  await finished(ok);
  await page.goto(`${server.url}/`);
  await page.waitForSelector(`tr[data-arn="${machineArn('hello-world')}"] td.count.nonzero`);
  const names = await page.$$eval('table.machines tbody tr td:first-child', (tds) => tds.map((td) => td.textContent));
  expect(names).toEqual(['hello-world', 'human-approval', 'invoice-total', 'jsonata-variables', 'order-fulfilment', 'order-receipt']);
  expect(await page.textContent(`tr[data-arn="${machineArn('hello-world')}"] td[data-status="SUCCEEDED"]`)).toBe('1');
  await shot('01-state-machines');
});

it('colours every state of a succeeded hello-world execution', async () => {
  const arn = await start('hello-world', readJson('hello-world/input.json'));
  expect(await finished(arn)).toBe('SUCCEEDED');
  await openExecution(arn);
  expect(await drawnStatuses()).toEqual({ SayHello: 'succeeded', Done: 'succeeded' });
  await page.click('svg.graph g.node[data-state="Done"]');
  expect(await page.textContent('.side h3')).toContain('Done');
  expect(JSON.parse((await page.textContent('.side pre.payload:last-of-type')) ?? '')).toEqual({ message: 'Hello, Switchyard!', length: 2 });
  await shot('02-hello-world-execution');
});

it('shows a declined order: every state drawn, the failed, caught and untouched ones coloured, the error and cause', async () => {
  const arn = await start('order-fulfilment', readJson('order-fulfilment/input-declined.json'));
  expect(await finished(arn)).toBe('FAILED');
  await openExecution(arn);
  const definition = JSON.parse(readJson('order-fulfilment/definition.asl.json'));
  const drawn = await drawnStatuses();
  expect(Object.keys(drawn).sort()).toEqual(stateNames(definition).sort());
  const { ReserveItems, ReserveItem, ...settled } = drawn;
  expect(settled).toEqual({ ValidateOrder: 'succeeded', Fulfil: 'caught', ChargeCard: 'failed', ChooseShipping: 'none', ShipExpress: 'none', ShipStandard: 'none', PaymentFailed: 'succeeded', Declined: 'failed' });
  // The Map branch was cut short by its sibling's failure: where it had got to is a race.
  expect(['cancelled', 'succeeded']).toContain(ReserveItems);
  expect(['cancelled', 'succeeded', 'none']).toContain(ReserveItem);
  expect(await page.textContent('.execution-error .error-name')).toBe('Error: PAYMENT_DECLINED');
  expect(await page.textContent('.execution-error .error-cause pre')).toBe('The card was declined for 20');
  await page.click('svg.graph g.node[data-state="ChargeCard"]');
  expect(await page.textContent('.side .state-error')).toContain('Payment.Declined');
  await shot('03-order-declined-execution');
  await page.locator('.graph-view').screenshot({ path: path.join(SHOTS, '03-order-declined-graph.png') });
});

it('starts an execution from the form, refusing malformed JSON first, and shows a <script> output as text', async () => {
  await page.goto(`${server.url}/#/state-machines/${encodeURIComponent(machineArn('hello-world'))}`);
  await page.waitForSelector('svg.graph g.node');
  await page.fill('.start-input', '{"name": ');
  expect(await page.textContent('.form-message')).toMatch(/^The input is not valid JSON: /);
  expect(await page.isDisabled('.start-form button[type=submit]')).toBe(true);
  await shot('04-start-form-invalid');
  await page.fill('.start-name', 'from-the-form');
  await page.fill('.start-input', '{"name": "<script>window.__pwned = 1</script>"}');
  await page.click('.start-form button[type=submit]');
  await page.waitForURL(/#\/executions\//);
  await page.waitForSelector('.title-row .badge-succeeded');
  expect(await page.textContent('.title-row h2')).toBe('from-the-form SUCCEEDED');
  const output = await page.textContent('.io div:last-child pre');
  expect(JSON.parse(output ?? '')).toEqual({ message: 'Hello, <script>window.__pwned = 1</script>!', length: 4 });
  expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(await page.$$('main script')).toHaveLength(0);
  await shot('05-started-from-form');
});

it('lists, filters and pages the executions of a state machine', async () => {
  for (let i = 0; i < 30; i++) await finished(await start('hello-world', readJson('hello-world/input.json')));
  await page.goto(`${server.url}/#/state-machines/${encodeURIComponent(machineArn('hello-world'))}`);
  await page.waitForSelector('.executions-table tbody tr');
  expect(await page.$$('.executions-table tbody tr')).toHaveLength(25);
  expect(await page.isDisabled('.next-page')).toBe(false);
  await page.click('.next-page');
  await page.waitForSelector('.page-info:text("Page 2")');
  expect((await page.$$('.executions-table tbody tr')).length).toBeGreaterThan(0);
  await page.selectOption('.status-filter', 'FAILED');
  await page.waitForSelector('.executions .empty');
  await page.selectOption('.status-filter', '');
  await page.waitForSelector('.executions-table tbody tr');
  await page.fill('.name-filter', 'from-the-form');
  expect(await page.$$eval('.executions-table tbody tr td:first-child', (tds) => tds.map((td) => td.textContent))).toEqual([]);
  await shot('06-executions-list');
});

it('stops a running execution with the Stop button', async () => {
  const arn = await start('human-approval', readJson('human-approval/input.json'));
  await openExecution(arn);
  await page.waitForSelector('.title-row .badge-running');
  expect(Object.values(await drawnStatuses())).toContain('running');
  await shot('07-running');
  await page.click('button.action-stop');
  await page.waitForSelector('.title-row .badge-aborted');
  expect(await finished(arn)).toBe('ABORTED');
  expect(Object.values(await drawnStatuses())).not.toContain('running');
  expect(await page.textContent('.execution-error .error-name')).toBe('Error: Switchyard.Console');
  await shot('08-stopped');
});

it('filters the event history by text and by type', async () => {
  const arn = await start('order-fulfilment', readJson('order-fulfilment/input-declined.json'));
  await finished(arn);
  await openExecution(arn);
  const all = (await server.driver.getExecutionHistory(arn)).length;
  expect(await page.textContent('.history-count')).toBe(`${all} events`);
  await page.selectOption('.history-type', 'TaskStateEntered');
  const types = await page.$$eval('.history-spacer .history-row span:nth-child(2)', (s) => [...new Set(s.map((x) => x.textContent))]);
  expect(types).toEqual(['TaskStateEntered']);
  await page.selectOption('.history-type', '');
  await page.fill('.history-filter', 'payment.declined');
  const states = await page.$$eval('.history-spacer .history-row span:nth-child(4)', (s) => s.map((x) => x.textContent));
  expect(states.length).toBeGreaterThan(0);
  expect(await page.textContent('.history-count')).toMatch(new RegExp(`^${states.length} of ${all} events$`));
  await page.click('.history-spacer .history-row');
  expect(await page.textContent('.history-detail')).toContain('Payment.Declined');
  await shot('09-history-filtered');
});

it('draws a 200-state machine readably and keeps a 10,000-event history fast', async () => {
  const states: Record<string, unknown> = {};
  for (let i = 0; i < 199; i++) states[`Step${i}`] = i % 20 === 10 ? { Type: 'Choice', Choices: [{ Variable: '$.skip', BooleanEquals: true, Next: `Step${i + 2}` }], Default: `Step${i + 1}` } : { Type: 'Pass', Next: `Step${i + 1}` };
  states.Step199 = { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { StartAt: 'Item', States: { Item: { Type: 'Pass', End: true } } }, End: true };
  await server.driver.putStateMachine('big', JSON.stringify({ StartAt: 'Step0', States: states }));
  const items = Array.from({ length: 2500 }, (_, i) => i);
  const arn = await start('big', JSON.stringify({ skip: false, items }));
  expect(await finished(arn)).toBe('SUCCEEDED');
  const total = (await server.driver.getExecutionHistory(arn)).length;
  expect(total).toBeGreaterThan(10000);

  await page.goto(`${server.url}/#/executions/${encodeURIComponent(arn)}`);
  await page.waitForSelector('svg.graph g.node');
  await page.waitForSelector(`.history-count:text("${total} events")`);
  expect(await page.$$('svg.graph g.node')).toHaveLength(201);
  // Only the rows in view are in the page.
  expect((await page.$$('.history-spacer .history-row')).length).toBeLessThan(60);
  await page.$eval('.history-scroll', (el) => (el.scrollTop = el.scrollHeight));
  await page.waitForSelector(`.history-row[data-event-id="${total}"]`);
  // The graph opens at a readable scale on the start, not shrunk to fit.
  const scale = await page.$eval('svg.graph', (svg) => svg.clientWidth / Number(svg.getAttribute('viewBox')?.split(' ')[2]));
  expect(scale).toBeGreaterThanOrEqual(0.55);
  await shot('10-big-execution');
  await page.click('.graph-toolbar button[title="Show the whole graph"]');
  await shot('11-big-whole');
});

it('says so on the page when the server has gone away', async () => {
  await page.goto(`${server.url}/`);
  await page.waitForSelector('table.machines');
  const url = server.url;
  await server.close();
  await page.evaluate(() => ((globalThis as unknown as { location: { hash: string } }).location.hash = '#/state-machines/x'));
  await page.waitForSelector('.error-box');
  expect(await page.textContent('.error-box')).toContain(`The Switchyard server at ${url} did not answer DescribeStateMachine`);
  await shot('12-server-down');
});

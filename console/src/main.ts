/**
 * The console: hash routes to pages. `#/` lists the state machines,
 * `#/state-machines/<ARN>` draws one with its executions, and
 * `#/executions/<ARN>` shows one execution live, `#/definition/<ARN>` (or
 * `#/definition/new`) edits a definition.
 */
import { h, replaceChildren } from './dom';
import { errorBox } from './format';
import { renderMachinesPage } from './pages/machines';
import { renderMachinePage } from './pages/machine';
import { renderExecutionPage } from './pages/execution';
import { renderDefinitionPage } from './pages/definition';

/** A page draws itself into `root` and returns what stops it (timers). */
export type Page = (root: HTMLElement, arn: string) => () => void;

const routes: [RegExp, Page][] = [
  [/^#\/state-machines\/(.+)$/, renderMachinePage],
  [/^#\/executions\/(.+)$/, renderExecutionPage],
  [/^#\/definition\/(.+)$/, renderDefinitionPage],
  [/^(#\/?)?$/, renderMachinesPage],
];

let stop = (): void => {};

function route(): void {
  stop();
  const main = document.getElementById('main') as HTMLElement;
  replaceChildren(main);
  const hash = location.hash;
  for (const [pattern, page] of routes) {
    const match = pattern.exec(hash);
    if (!match) continue;
    try {
      stop = page(main, match[1] === undefined || match[1].startsWith('#') ? '' : decodeURIComponent(match[1]));
    } catch (err) {
      replaceChildren(main, errorBox('This page failed to draw.', err));
      stop = () => {};
    }
    return;
  }
  replaceChildren(main, h('div', { class: 'error-box' }, h('strong', {}, 'No such page: '), hash), h('p', {}, h('a', { href: '#/' }, 'Back to the state machines')));
  stop = () => {};
}

window.addEventListener('hashchange', route);
window.addEventListener('error', (e) => {
  const main = document.getElementById('main');
  if (main) main.prepend(errorBox('The console hit an error.', e.error ?? e.message));
});
document.getElementById('endpoint')?.append(location.origin);
route();

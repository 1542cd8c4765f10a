/**
 * Parses intrinsic invocations into a syntax tree once, checking names,
 * arity and literal argument types against the signature table.
 */
import { compilePath } from '../jsonpath';
import type { IntrinsicNode } from './ast';
import { FUNCTIONS } from './functions';
import { checkStaticArguments } from './signature';
import { syntax, tokenize, type Token } from './lexer';

/** Parses a whole invocation such as `States.Format('{}', $.a)`. */
export function parseIntrinsic(source: string): IntrinsicNode {
  const tokens = tokenize(source);
  let pos = 0;

  function peek(): Token | undefined {
    return tokens[pos];
  }
  function expect(kind: Token['kind']): Token {
    const token = tokens[pos];
    if (!token || token.kind !== kind) throw syntax(source, token?.at ?? source.length, `expected '${kind}'`);
    pos++;
    return token;
  }

  function argument(template: boolean): IntrinsicNode {
    const token = peek();
    if (!token) throw syntax(source, source.length, 'missing argument');
    switch (token.kind) {
      case 'string':
        pos++;
        return { kind: 'literal', value: template ? token.template : token.value };
      case 'number':
      case 'literal':
        pos++;
        return { kind: 'literal', value: token.value };
      case 'path':
        pos++;
        return { kind: 'path', path: compilePath(token.text) };
      case 'name':
        return call();
      default:
        throw syntax(source, token.at, `unexpected '${token.kind}'`);
    }
  }

  function call(): IntrinsicNode {
    const name = expect('name') as Extract<Token, { kind: 'name' }>;
    const fn = FUNCTIONS[name.text];
    if (!fn) throw syntax(source, name.at, `unknown function '${name.text}'`);
    const open = expect('(');
    const args: IntrinsicNode[] = [];
    if (peek()?.kind !== ')') {
      // States.Format's template keeps its escaped braces so they are not read as placeholders.
      args.push(argument(name.text === 'States.Format'));
      while (peek()?.kind === ',') {
        pos++;
        args.push(argument(false));
      }
    }
    const close = expect(')');
    const node: IntrinsicNode = { kind: 'call', name: name.text, args, source: source.slice(name.at, close.at + 1) };
    void open;
    checkStaticArguments(fn, node, source);
    return node;
  }

  const root = call();
  if (pos !== tokens.length) throw syntax(source, tokens[pos].at, 'unexpected text after the invocation');
  return root;
}

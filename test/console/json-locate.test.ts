/** Diagnostics' JSON pointers found in the definition's text, and JSON.parse's stopping point. */
import { locatePointer, syntaxErrorOffset } from '../../console/src/json-locate';

const text = `{
  "StartAt": "A",
  "States": {
    "A": { "Type": "Pass", "Next": "Nowhere" },
    "a/b": { "Type": "Succeed" },
    "List": { "Type": "Parallel", "Branches": [ {"x": 1}, {"y": [true, null]} ] }
  }
}`;

it.each([
  ['/States/A/Next', '"Next": "Nowhere"', 4, 28],
  ['/States/A', '"A": { "Type": "Pass", "Next": "Nowhere" }', 4, 5],
  ['/States/a~1b/Type', '"Type": "Succeed"', 5, 14],
  ['/States/List/Branches/1/y/0', 'true', 6, 66],
  ['/States/A/Missing/Deeper', '"A": { "Type": "Pass", "Next": "Nowhere" }', 4, 5],
  ['/StartAt', '"StartAt": "A"', 2, 3],
])('finds %s', (pointer, spanned, line, column) => {
  const span = locatePointer(text, pointer)!;
  expect([text.slice(span.start, span.end), span.line, span.column]).toEqual([spanned, line, column]);
});

it('points at the whole definition for / and gives up on text that is not JSON', () => {
  expect(locatePointer(text, '/')).toMatchObject({ start: 0, end: text.length, line: 1, column: 1 });
  expect(locatePointer('{"a": ', '/a')).toBeUndefined();
});

it("reads JSON.parse's position from either spelling of its message", () => {
  expect(syntaxErrorOffset('{\n "a": }', 'Unexpected token } in JSON at position 8')).toBe(8);
  expect(syntaxErrorOffset('{\n "a": }', `Unexpected token '}', "{ "a": }" is not valid JSON (line 2 column 7)`)).toBe(8);
  expect(syntaxErrorOffset('x', 'Unexpected end of JSON input')).toBeUndefined();
});

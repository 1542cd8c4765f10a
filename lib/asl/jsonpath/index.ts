/**
 * JSONPath in the States Language: paths, reference paths, ResultPath and
 * payload templates (`.$` keys), compiled once per definition.
 */
export { compilePath, type CompiledPath } from './path';
export { compileResultPath, type CompiledResultPath } from './result-path';
export { compileTemplate, type CompiledTemplate } from './template';

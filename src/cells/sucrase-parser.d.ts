// Sucrase's CommonJS build, imported by path so that the worker bundle, Node at build time and the
// tests all load one copy (its ES build has extensionless imports Node cannot resolve). The types are
// sucrase's own, from dist/types.
declare module 'sucrase/dist/index.js' {
  export { transform } from 'sucrase/dist/types/index';
}
declare module 'sucrase/dist/parser/index.js' {
  export { parse } from 'sucrase/dist/types/parser/index';
}
declare module 'sucrase/dist/parser/tokenizer/index.js' {
  export { IdentifierRole } from 'sucrase/dist/types/parser/tokenizer/index';
}

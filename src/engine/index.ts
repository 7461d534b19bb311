export * from './validate';
export * from './rng';
export * from './special';
export * from './fans';
export * from './init';

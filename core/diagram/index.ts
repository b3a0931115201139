export * from './layout';
export * from './svg';

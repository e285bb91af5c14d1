export * from './ethernet';

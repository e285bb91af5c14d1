export * from './ripng';

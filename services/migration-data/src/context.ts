import type { DataSource } from 'typeorm';
import { createLoaders, type Loaders } from './loaders';

export interface Context {
  ds: DataSource;
  loaders: Loaders;
}

/** A fresh context (and fresh loaders) for every request. */
export function createContext(ds: DataSource): Context {
  return { ds, loaders: createLoaders(ds) };
}

import { ANONYMOUS, type Identity } from '../../../shared/src/identity';
import type { DataSource } from 'typeorm';
import { createLoaders, type Loaders } from './loaders';

export interface Context {
  ds: DataSource;
  /** Who is asking, as the gateway verified and signed it. */
  identity: Identity;
  loaders: Loaders;
}

/** A fresh context (and fresh loaders) for every request. */
export function createContext(ds: DataSource, identity: Identity = ANONYMOUS): Context {
  return { ds, identity, loaders: createLoaders(ds) };
}

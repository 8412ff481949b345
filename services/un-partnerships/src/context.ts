// The resolvers' context type, where they and the generated resolver types look for it.
export type { Context } from './service';

import { Client, type QueryResult } from 'pg';

/**
 * Runs `work` and counts the rows PostgreSQL sent back to this process meanwhile, over every
 * connection: what a loader read, not what a resolver kept of it. Statements sent with a callback
 * are not counted (TypeORM and the services send theirs as promises).
 */
export async function countingRows<T>(work: () => Promise<T>): Promise<{ result: T; rows: number }> {
  const original = Client.prototype.query;
  let rows = 0;
  const count = (answer: unknown) => {
    for (const part of Array.isArray(answer) ? answer : [answer]) rows += (part as QueryResult | undefined)?.rows?.length ?? 0;
    return answer;
  };
  Client.prototype.query = function (this: Client, ...args: unknown[]): unknown {
    const sent: unknown = Reflect.apply(original, this, args);
    return sent instanceof Promise ? sent.then(count) : sent;
  } as typeof original;
  try {
    return { result: await work(), rows };
  } finally {
    Client.prototype.query = original;
  }
}

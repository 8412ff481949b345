// Apollo Client 4 runs as a development build (its warnings on, such as "Cache data may be lost") only when
// globalThis.__DEV__ is true as it loads: a test imports this module before @apollo/client.
(globalThis as { __DEV__?: boolean }).__DEV__ = true;

export {};

import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { Identity } from '../auth/identity';
import { currentRequest } from '../runtime/requestContext';

/**
 * Fills the record of the request being served (see runtime/requestContext) with what only GraphQL
 * knows: the operation's name and type, the caller's roles and the answer's error codes. The HTTP
 * front writes the access line and the request metrics from it once the response is sent.
 */
export const recordRequest: ApolloServerPlugin<BaseContext> = {
  requestDidStart: async ({ contextValue }) => {
    const record = currentRequest();
    if (!record) return {};
    const identity = (contextValue as { identity?: Identity }).identity;
    if (identity) record.role = identity.roles.length > 0 ? identity.roles.join(',') : 'anonymous';
    return {
      didResolveOperation: async ({ operation, operationName }) => {
        record.operationName = operationName ?? undefined;
        record.operationType = operation?.operation;
      },
      willSendResponse: async ({ response, operationName }) => {
        record.operationName ??= operationName ?? undefined;
        if (response.body.kind !== 'single') return;
        for (const error of response.body.singleResult.errors ?? []) {
          const code = typeof error.extensions?.code === 'string' ? error.extensions.code : 'UNKNOWN';
          if (!record.errorCodes.includes(code)) record.errorCodes.push(code);
        }
      },
    };
  },
};

import { AwsError, ValidationError } from '../../aws/aws-error.js';
import type { IdentityCenterState, IdentityStoreRecord } from '../state/model.js';

/**
 * The Identity Store's modelled errors. Every one is sent with HTTP 400: a real
 * ResourceNotFoundException (awslabs/ssosync#221) and AccessDeniedException
 * (binbashar/le-tf-infra-aws#874) were captured with status 400 although the model says 404/403;
 * 400 for ConflictException and ValidationException is assumed. The SDK picks the exception by
 * name, not by status. Members are the model's: Message, RequestId, and Reason / ResourceType /
 * ResourceId where modelled (RequestId is added by the service wrapper).
 */

export type ResourceType = 'USER' | 'GROUP' | 'GROUP_MEMBERSHIP' | 'IDENTITY_STORE';

const NOT_FOUND_MESSAGES: Record<ResourceType, (id: string) => string> = {
  // Captured (awslabs/ssosync#221).
  IDENTITY_STORE: (id) => `IdentityStore not present for IdentityStoreId: ${id}`,
  // Assumed.
  USER: () => 'USER not found.',
  GROUP: () => 'GROUP not found.',
  GROUP_MEMBERSHIP: () => 'GROUP_MEMBERSHIP not found.',
};

export const identityStoreErrors = {
  notFound(type: ResourceType, id?: string): AwsError {
    return new AwsError('ResourceNotFoundException', 400, NOT_FOUND_MESSAGES[type](id ?? ''), {
      ResourceType: type,
      ...(id !== undefined ? { ResourceId: id } : {}),
    });
  },

  /** A uniqueness claim the change would violate (Reason UNIQUENESS_CONSTRAINT_VIOLATION, model). Wording assumed. */
  uniqueness(message: string, detail?: string): AwsError {
    return new AwsError('ConflictException', 400, message, { Reason: 'UNIQUENESS_CONSTRAINT_VIOLATION' }, detail);
  },

  /** A request the model allows but the service refuses (reserved names, unsupported paths …). Wording assumed. */
  invalid(message: string): AwsError {
    return new ValidationError(message);
  },
};

/** The identity store named by the request, or ResourceNotFoundException (IDENTITY_STORE). */
export function requireStore(state: Readonly<IdentityCenterState>, identityStoreId: string): IdentityStoreRecord {
  const store = Object.hasOwn(state.identityStores, identityStoreId) ? state.identityStores[identityStoreId] : undefined;
  if (!store) throw identityStoreErrors.notFound('IDENTITY_STORE', identityStoreId);
  return store;
}

/** A record of the store by id, or ResourceNotFoundException naming its type and id. */
export function requireRecord<T>(records: Record<string, T>, type: ResourceType, id: string): T {
  const record = Object.hasOwn(records, id) ? records[id] : undefined;
  if (!record) throw identityStoreErrors.notFound(type, id);
  return record;
}

import { SERVICE_MODELS } from '../../aws/model/service-models.js';
import type { ServiceModel, ShapeModel } from '../../aws/model/service-model.js';

const sdk = SERVICE_MODELS.identitystore;
const createUser = sdk.shapes.CreateUserRequest as Extract<ShapeModel, { type: 'structure' }>;

/**
 * The Identity Store model as the lab serves it: the SDK's, and one lab extension — CreateUser takes
 * `ExternalIds` (the model's CreateUserRequest has none: external ids come from SCIM provisioning,
 * so the SDK cannot send it), for the lab's own config setup and raw callers. It is read like any
 * member, against the model's ExternalIds shape.
 */
export const IDENTITY_STORE_MODEL: ServiceModel = {
  ...sdk,
  shapes: { ...sdk.shapes, CreateUserRequest: { ...createUser, members: { ...createUser.members, ExternalIds: { target: 'ExternalIds' } } } },
};

/** A structure's members by name (User, Group, GroupMembership, Name …). */
export function membersOf(name: string): string[] {
  const shape = IDENTITY_STORE_MODEL.shapes[name];
  if (shape?.type !== 'structure') throw new Error(`identitystore model: ${name} is not a structure`);
  return Object.keys(shape.members);
}

/** The shape a structure's member targets. */
export function targetOf(structure: string, member: string): string {
  const shape = IDENTITY_STORE_MODEL.shapes[structure];
  if (shape?.type !== 'structure' || !Object.hasOwn(shape.members, member)) throw new Error(`identitystore model: ${structure} has no member ${member}`);
  return shape.members[member]!.target;
}

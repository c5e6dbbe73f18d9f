import { serviceModel } from '../../aws/model/service-models.js';
import type { ServiceModel, ShapeModel } from '../../aws/model/service-model.js';

let extended: ServiceModel | undefined;

/**
 * The Identity Store model as the lab serves it: the SDK's, and one lab extension — CreateUser takes
 * `ExternalIds` (the model's CreateUserRequest has none: external ids come from SCIM provisioning,
 * so the SDK cannot send it), for the lab's own config setup and raw callers. It is read like any
 * member, against the model's ExternalIds shape. Made once the SDK's model is loaded (the service's
 * first call: service-models.ts).
 */
export function identityStoreModel(): ServiceModel {
  if (extended) return extended;
  const sdk = serviceModel('identitystore');
  const createUser = sdk.shapes.CreateUserRequest as Extract<ShapeModel, { type: 'structure' }>;
  extended = { ...sdk, shapes: { ...sdk.shapes, CreateUserRequest: { ...createUser, members: { ...createUser.members, ExternalIds: { target: 'ExternalIds' } } } } };
  return extended;
}

const members = new Map<string, string[]>();

/** A structure's members by name (User, Group, GroupMembership, Name …), in model order. */
export function membersOf(name: string): string[] {
  const known = members.get(name);
  if (known) return known;
  const shape = identityStoreModel().shapes[name];
  if (shape?.type !== 'structure') throw new Error(`identitystore model: ${name} is not a structure`);
  members.set(name, Object.keys(shape.members));
  return members.get(name)!;
}

/** The shape a structure's member targets. */
export function targetOf(structure: string, member: string): string {
  const shape = identityStoreModel().shapes[structure];
  if (shape?.type !== 'structure' || !Object.hasOwn(shape.members, member)) throw new Error(`identitystore model: ${structure} has no member ${member}`);
  return shape.members[member]!.target;
}

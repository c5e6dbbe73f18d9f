import t from 'tap';
import type { ConstraintTable } from '../../../server/aws/model/constraint-table.js';
import type { ServiceModel } from '../../../server/aws/model/service-model.js';
import { loadServiceModels } from '../../../server/aws/model/service-models.js';
import { IDENTITY_STORE_CONSTRAINTS } from '../../../server/identity-center/identity-store/identity-store-constraints.js';
import { SSO_ADMIN_CONSTRAINTS } from '../../../server/identity-center/sso-admin/sso-admin-constraints.js';

const SERVICE_MODELS = await loadServiceModels();

/** The services' constraint tables agree with their models: a typo in a shape name would silently drop a constraint. */

const TABLES: [ServiceModel, ConstraintTable][] = [
  [SERVICE_MODELS['sso-admin'], SSO_ADMIN_CONSTRAINTS],
  [SERVICE_MODELS.identitystore, IDENTITY_STORE_CONSTRAINTS],
];

for (const [model, table] of TABLES) {
  t.test(`${model.service}: every member entry names a shape the table or the model knows`, async (t) => {
    const owners = new Set(Object.keys(table.members ?? {}).map((k) => k.slice(0, k.lastIndexOf('.'))));
    for (const [member, shape] of Object.entries(table.members ?? {})) {
      t.ok(table.shapes[shape] || model.enums[shape] || owners.has(shape), `${member} → ${shape}`);
      const owner = member.slice(0, member.lastIndexOf('.'));
      t.ok(owner === '*' || model.shapes[owner] || table.shapes[owner] || Object.values(table.members ?? {}).includes(owner), `${member}: its owner is a model shape or a table list`);
    }
  });

  t.test(`${model.service}: an enum the table lists is the model's, only in the model's order`, async (t) => {
    for (const [name, c] of Object.entries(table.shapes)) {
      if (!c.enum) continue;
      t.ok(model.enums[name], `${name} is an SDK enum`);
      t.same([...c.enum].sort(), [...(model.enums[name] ?? [])].sort(), `${name}: the same values`);
      t.notSame(c.enum, model.enums[name], `${name}: listed only because the order differs`);
    }
  });
}

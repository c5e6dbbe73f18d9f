import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLIENTS, extractServiceModel } from './extract-service-model.js';

/**
 * `npm run model:update`: rewrites `server/aws/model/services/*.json` from the installed SDK
 * clients. Run it after upgrading a client; `test/aws/model/service-models.test.ts` fails until then.
 */
const out = join(process.cwd(), 'server/aws/model/services');
for (const spec of CLIENTS) {
  const model = await extractServiceModel(spec);
  writeFileSync(join(out, `${spec.service}.json`), `${JSON.stringify(model, null, 1)}\n`);
  console.log(`${spec.service}: ${Object.keys(model.operations).length} operations, ${Object.keys(model.shapes).length} shapes (${model.source})`);
}

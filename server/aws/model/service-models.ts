import type { ServiceModel } from './service-model.js';

/**
 * The models of the services the lab emulates, extracted from the installed AWS SDK clients
 * (`npm run model:update`; `test/aws/model/service-models.test.ts` fails when they drift).
 *
 * Each is loaded on first use, not at start (about 300 KB of JSON in all): a dynamic import is
 * parsed only when reached (in the CLI bundle it becomes a lazy `require` of a `JSON.parse`,
 * scripts/bundle-cli.ts), so a start, and a command that never answers an AWS call, parse none.
 * `loadServiceModel` loads one; `serviceModel` hands out one already loaded, for the synchronous
 * code that runs after its service's entry awaited the load (`runOperation`, the protocol adapters).
 */
const LOADERS = {
  'sso-admin': () => import('./services/sso-admin.json', { with: { type: 'json' } }),
  identitystore: () => import('./services/identitystore.json', { with: { type: 'json' } }),
  sts: () => import('./services/sts.json', { with: { type: 'json' } }),
  'sso-oidc': () => import('./services/sso-oidc.json', { with: { type: 'json' } }),
  's3-control': () => import('./services/s3-control.json', { with: { type: 'json' } }),
} as const;

export type ServiceName = keyof typeof LOADERS;

export const SERVICE_NAMES = Object.keys(LOADERS) as ServiceName[];

const loaded = new Map<ServiceName, ServiceModel>();
const loading = new Map<ServiceName, Promise<ServiceModel>>();

/** The service's model, loaded (and parsed) the first time it is asked for. */
export function loadServiceModel(name: ServiceName): Promise<ServiceModel> {
  let promise = loading.get(name);
  if (!promise) {
    promise = LOADERS[name]().then((m) => {
      const model = m.default as unknown as ServiceModel;
      loaded.set(name, model);
      return model;
    });
    loading.set(name, promise);
  }
  return promise;
}

/** Loads every model: each by its name (the tests, the model checks). */
export async function loadServiceModels(): Promise<Record<ServiceName, ServiceModel>> {
  const models = await Promise.all(SERVICE_NAMES.map(loadServiceModel));
  return Object.fromEntries(SERVICE_NAMES.map((n, i) => [n, models[i]])) as Record<ServiceName, ServiceModel>;
}

/** A model already loaded; a lab bug (a path that skipped `loadServiceModel`) throws, naming it. */
export function serviceModel(name: ServiceName): ServiceModel {
  const model = loaded.get(name);
  if (!model) throw new Error(`tti-lab bug: the ${name} model is used before it was loaded (await loadServiceModel('${name}') first)`);
  return model;
}

/** The models loaded so far: what a start or a command has parsed (test probe). */
export function loadedServiceModels(): ServiceName[] {
  return SERVICE_NAMES.filter((n) => loaded.has(n));
}

/**
 * tti-lab's programmatic API, for test suites in the user's own process:
 *
 *   import { startLab } from 'tti-lab';
 *   const lab = await startLab({ config: 'lab.yaml' });
 *   const { token } = await lab.mint('okta', { user: 'alice', claims: { aud: '0oa1b2c3' } });
 *   await lab.close();
 */
export { startLab, DEFAULT_PORT, DEFAULT_HOST, DEFAULT_DATA_DIR } from './lab/start-lab.js';
export type { Lab, LabIssuer, StartLabOptions } from './lab/start-lab.js';
export type { MintRequest, MintResult, MintVariant } from './issuer/mint/mint-token.js';
export { MINT_VARIANTS } from './issuer/mint/mint-token.js';
export type { LabConfig, IssuerConfig, ClientConfig, UserConfig, IssuerFaults, EndpointFault } from './config/lab-config.js';
export { loadConfig, parseLabConfig } from './config/load-config.js';
export { ConfigError } from './config/schema.js';
export { ListenError } from './lab/listen-error.js';
export { fixedClock, systemClock } from '../shared/clock.js';
export { localhostSubdomainLookup } from './aws/localhost-subdomain-lookup.js';
export type { Clock, FixedClock } from '../shared/clock.js';
export type { RequestLogEntry, RequestLogQuery } from './log/request-log.js';
export type { LogDestination } from './log/server-error-log.js';

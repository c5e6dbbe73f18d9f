/** The algorithms a lab issuer's keys sign with (config `issuers[].algorithm`, the key store, the lab's own tokens). */
export const SIGNING_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

import { lookup as dnsLookup, type LookupAddress, type LookupOneOptions, type LookupAllOptions } from 'node:dns';

type Callback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for node:http agents that resolves `localhost` and every `*.localhost` name to
 * 127.0.0.1 (RFC 6761 §6.3: such names are loopback), and any other name as node:dns does.
 *
 * Why: the AWS SDK sends S3 Control requests to `<account id>.<endpoint host>` — with
 * `AWS_ENDPOINT_URL=http://localhost:4750` that is `123456789012.localhost:4750`. Resolvers with
 * systemd-resolved or nss-myhostname answer it; plain glibc with /etc/hosts, and macOS, do not. An
 * application that cannot change its resolver passes an agent with this lookup to its S3 Control
 * client: `new S3ControlClient({ requestHandler: { httpAgent: new Agent({ lookup: localhostSubdomainLookup }) } })`.
 */
export function localhostSubdomainLookup(hostname: string, options: LookupOneOptions | LookupAllOptions | number, callback: Callback): void {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  if (name === 'localhost' || name.endsWith('.localhost')) {
    const all = typeof options === 'object' && options.all === true;
    process.nextTick(() => (all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4)));
    return;
  }
  dnsLookup(hostname, options as LookupAllOptions, callback as never);
}

/** @module layer4/matchers/remote-ip-list: `layer4.matchers.remote_ip_list` — remote IP in a file of IPs/CIDRs, reloaded on change. */
import fs from 'node:fs';
import type { Connection } from '../connection.js';
import { Layer4ConfigError } from '../errors.js';
import { IpRanges } from '../ip-ranges.js';
import type { MatcherFactory } from '../types.js';

function load(file: string, path: string): IpRanges {
  const lines = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  return new IpRanges(lines, `${path} (${file})`);
}

export const createRemoteIpListMatcher: MatcherFactory = (json, path, compiler) => {
  const file = (json as { remote_ip_file?: unknown } | null)?.remote_ip_file;
  if (typeof file !== 'string' || file === '')
    throw new Layer4ConfigError(`${path}.remote_ip_file`, 'a file name is required');
  let ranges: IpRanges;
  try {
    ranges = load(file, path);
  } catch (err) {
    if (err instanceof Layer4ConfigError) throw err;
    throw new Layer4ConfigError(
      `${path}.remote_ip_file`,
      `cannot read ${JSON.stringify(file)}: ${(err as Error).message}`,
    );
  }
  const onChange = (): void => {
    try {
      ranges = load(file, path);
      compiler.runtime.logger.info({ file }, 'layer4 remote_ip_list reloaded');
    } catch (err) {
      compiler.runtime.logger.error(
        { file, err: (err as Error).message },
        'layer4 remote_ip_list: keeping the previous list',
      );
    }
  };
  fs.watchFile(file, { interval: 1000, persistent: false }, onChange);
  compiler.runtime.closers.push(() => fs.unwatchFile(file, onChange));
  return { match: (cx: Connection) => ranges.has(cx.info.remoteAddress) };
};

/** @module layer4/handlers/tee: `layer4.handlers.tee` — runs a branch of handlers on a copy of the client's bytes, then next. */
import { Duplex, PassThrough, Writable } from 'node:stream';
import type { Connection } from '../connection.js';
import { Layer4ConfigError } from '../errors.js';
import { runChain } from '../serve.js';
import type { HandlerFactory, Next } from '../types.js';

export const createTeeHandler: HandlerFactory = (json, path, compiler) => {
  for (const key of Object.keys(json)) {
    if (key !== 'handler' && key !== 'branch') throw new Layer4ConfigError(`${path}.${key}`, 'unknown field');
  }
  const branch = compiler.handlers(json['branch'], `${path}.branch`);
  return {
    async handle(cx: Connection, next: Next) {
      const src = cx.release();
      const main = new PassThrough();
      const copy = new PassThrough();
      // One source piped to both: the slower reader holds both back (lock-step, like caddy-l4's tee).
      src.pipe(main);
      src.pipe(copy);
      const discard = new Writable({ write: (_c, _e, cb) => cb() });
      const branchCx = cx.wrap(Duplex.from({ readable: copy, writable: discard }));
      runChain(branch, branchCx, async () => undefined).catch((err: Error) =>
        cx.log.warn({ err: err.message }, 'layer4 tee: branch failed'),
      );
      const mainStream = Duplex.from({ readable: main, writable: src });
      mainStream.once('close', () => src.destroy());
      src.once('close', () => {
        main.destroy();
        copy.destroy();
      });
      await next(cx.wrap(mainStream));
    },
  };
};

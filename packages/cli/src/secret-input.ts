/**
 * @module secret-input: reads a secret the way `caddy hash-password` does: from a terminal without echo (each
 * prompt on stderr), else one line from stdin.
 */
import type { Readable } from 'node:stream';

/** The user stopped the prompt (Ctrl-C, Ctrl-D on an empty line). */
export class PromptAborted extends Error {}

/** Reads one line typed on a TTY with echo off; restores the terminal in every case. */
export function readHidden(prompt: string, input: NodeJS.ReadStream = process.stdin): Promise<string> {
  return new Promise((resolve, reject) => {
    let value = '';
    const done = (err?: Error) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new PromptAborted('interrupted'));
        if (ch === '\u0004') {
          if (value === '') return done(new PromptAborted('no input'));
          return done();
        }
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else if (ch >= ' ') value += ch;
      }
    };
    // Echo off before the prompt shows: what is typed as soon as it appears must not be echoed either.
    input.setRawMode(true);
    process.stderr.write(prompt);
    input.resume();
    input.on('data', onData);
  });
}

/** Reads stdin up to the first newline (or its end), without the newline. */
export async function readLine(input: Readable = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    const nl = buf.indexOf(0x0a);
    if (nl >= 0) {
      chunks.push(buf.subarray(0, nl));
      break;
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8').replace(/\r$/, '');
}

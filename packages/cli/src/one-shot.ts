/**
 * @module one-shot: V8 tuning for commands that run once and exit (`adapt`). In a run that lasts well under a
 * second, TurboFan's compiles compete with the work for the CPU and rarely pay back before exit: let it optimize
 * later than V8's default. Set once the CLI is loaded, so the compile cache (checked against V8's flags) still
 * applies to it.
 */
import type V8 from 'node:v8';

/** V8 versions known to have the flag (Node 22 to 24): an unknown flag would make V8 print an error. */
const MIN_V8 = 12;
const MAX_V8 = 13;

/** Applies the tuning; a no-op on other V8 versions. */
export function tuneForOneShot(): void {
  const major = Number(process.versions.v8.split('.')[0]);
  if (!(major >= MIN_V8 && major <= MAX_V8) || !process.getBuiltinModule) return;
  const v8 = process.getBuiltinModule('node:v8') as typeof V8;
  v8.setFlagsFromString('--invocation-count-for-turbofan=10000');
}

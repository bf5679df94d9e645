/**
 * A full garbage collection between the windows of a bulk import. Each window's files, parsed
 * articles and reports outlive the young generation and end up as old-space garbage; V8 lets
 * that grow to a multiple of the live heap before collecting it, so the process's peak memory
 * would follow the collector's pace rather than the window's size. Collecting after each
 * window (tens of milliseconds, against seconds of work per window) keeps the peak flat.
 * Node exposes no collector call without --expose-gc, which the flag enables at run time.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

let collect: (() => void) | undefined;

export function collectGarbage(): void {
  if (collect === undefined) {
    v8.setFlagsFromString('--expose-gc');
    collect = vm.runInNewContext('gc') as () => void;
  }
  collect();
}

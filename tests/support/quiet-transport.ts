// A delivery transport for tests that post nothing worth reading: the terminal adapter writing
// into a stream nobody reads, every channel open to it.
import { PassThrough } from 'node:stream';
import type { DeliveryTransport } from '../../src/delivery/sink.ts';
import { createTerminalAccess, createTerminalSink } from '../../src/terminal/terminal-sink.ts';

export function quietTransport(): DeliveryTransport {
  const sink = new PassThrough();
  sink.resume();
  return { sink: createTerminalSink(sink), access: createTerminalAccess() };
}

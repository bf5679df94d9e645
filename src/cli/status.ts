import { statusFields } from '../render/status.ts';
import type { CliSubcommand } from './subcommand.ts';

export const statusSubcommand: CliSubcommand = {
  name: 'status',
  usage: 'status [--json]',
  async run(herald) {
    const status = await herald.services.status.snapshot();
    const text = statusFields(status)
      .map((field) => `${field.name}: ${field.value}`)
      .join('\n');
    return { json: status, text };
  },
};

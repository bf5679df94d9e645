import { UserError } from '../errors.ts';
import { createStoreDoctor } from '../store/doctor.ts';
import type { CliSubcommand } from './subcommand.ts';

export const storeSubcommand: CliSubcommand = {
  name: 'store',
  usage: 'store doctor [--move] [--json]',
  async run(herald, args) {
    if (args.positionals[0] !== 'doctor') throw new UserError(`usage: npm start -- ${storeSubcommand.usage}`);
    const { sqlite, namespaces } = herald.backend;
    if (sqlite === undefined || namespaces === undefined)
      throw new UserError('store doctor reads a SQLite store (STORE_URL=sqlite://…)');
    const doctor = createStoreDoctor(sqlite, namespaces);
    const damaged = doctor.find();
    const move = args.booleanFlag('move');
    if (move && damaged.length > 0 && sqlite.readOnly)
      throw new UserError('the store is read-only: its damaged records cannot be moved aside');
    const moved = move ? doctor.moveAside(damaged) : 0;
    const lines = damaged.map((record) => `  ${record.namespace}/${record.key}: ${record.problem}`);
    const text =
      damaged.length === 0
        ? 'No damaged records.'
        : [
            `${damaged.length} damaged record${damaged.length === 1 ? '' : 's'}:`,
            ...lines,
            move
              ? `Moved ${moved} aside into the table ${doctor.asideTable}, kept for inspection.`
              : 'Run npm start -- store doctor --move to move them aside (kept for inspection).',
          ].join('\n');
    return {
      json: { damaged, moved },
      text,
      // Damage left in place is something a script should notice.
      ...(damaged.length > 0 && !move ? { exitCode: 1 } : {}),
    };
  },
};

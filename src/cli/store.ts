import { UserError } from '../errors.ts';
import {
  ChangeLogDamageError,
  checkSqliteChangeLog,
  CHANGE_LOG_TABLE,
  restartSqliteChangeLog,
} from '../store/change-log.ts';
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
    const changeLog = changeLogProblem(() => checkSqliteChangeLog(sqlite));
    const move = args.booleanFlag('move');
    if (move && (damaged.length > 0 || changeLog) && sqlite.readOnly)
      throw new UserError('the store is read-only: its damage cannot be moved aside');
    const moved = move ? doctor.moveAside(damaged) : 0;
    const changeLogAside = move && changeLog ? restartSqliteChangeLog(sqlite, new Date()) : undefined;
    const lines = damaged.map((record) => `  ${record.namespace}/${record.key}: ${record.problem}`);
    const recordText =
      damaged.length === 0
        ? ['No damaged records.']
        : [
            `${damaged.length} damaged record${damaged.length === 1 ? '' : 's'}:`,
            ...lines,
            move
              ? `Moved ${moved} aside into the table ${doctor.asideTable}, kept for inspection.`
              : 'Run npm start -- store doctor --move to move them aside (kept for inspection).',
          ];
    const logText = !changeLog
      ? []
      : changeLogAside
        ? [
            `The story change log was damaged (${changeLog}): moved to the table ${changeLogAside}, kept for inspection; a new one is started and the answer index rebuilds from the stories.`,
          ]
        : [
            `The story change log (table ${CHANGE_LOG_TABLE}) is damaged: ${changeLog}.`,
            'Run npm start -- store doctor --move to set it aside and start a new one.',
          ];
    return {
      json: {
        damaged,
        moved,
        ...(changeLog
          ? { changeLog: { table: CHANGE_LOG_TABLE, problem: changeLog, movedTo: changeLogAside ?? null } }
          : {}),
      },
      text: [...recordText, ...logText].join('\n'),
      // Damage left in place is something a script should notice.
      ...((damaged.length > 0 || changeLog) && !move ? { exitCode: 1 } : {}),
    };
  },
};

/** What is wrong with the change log, in a few words; undefined when it reads back whole. */
function changeLogProblem(check: () => void): string | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    if (error instanceof ChangeLogDamageError) return error.problem;
    throw error;
  }
}

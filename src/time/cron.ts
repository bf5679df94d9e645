/** The task node-cron 4's `schedule` returns, as far as Herald's schedulers use it. */
export interface CronTask {
  stop(): void | Promise<void>;
  destroy(): void | Promise<void>;
}

/** node-cron 4's default export satisfies this; tests pass a fake that fires ticks by hand. */
export interface CronScheduler {
  schedule(
    expression: string,
    fn: () => Promise<unknown>,
    options: { name: string; noOverlap: boolean },
  ): CronTask;
}

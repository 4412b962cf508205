import type { Logger } from 'pino';

/**
 * Work started by a turn that must outlive it (the turn's HTTP request has to be answered
 * first). Tracked so that stopping the bot waits for it instead of cutting it off mid-way.
 */
export class BackgroundTasks {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly logger: Logger) {}

  run(name: string, task: () => Promise<void>): void {
    const promise = task()
      .catch((error: unknown) =>
        this.logger.error({ err: error, task: name }, 'background task failed'),
      )
      .finally(() => this.running.delete(promise));
    this.running.add(promise);
  }

  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}

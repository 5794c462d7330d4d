import type { Server } from 'node:http';
import type { Logger } from '@sanad/logger';

export interface ShutdownStep {
  name: string;
  run(): Promise<unknown>;
}

/**
 * Stops a service in order on SIGTERM or SIGINT: steps run one after another (stop taking work,
 * finish or hand back what is in flight, then close connections), each with a time limit. A
 * second signal or a step past its limit forces the exit.
 */
export function onShutdown(logger: Logger, steps: ShutdownStep[], stepTimeoutMs = 15_000) {
  const log = logger.child({ module: 'lifecycle' });
  let stopping: Promise<void> | null = null;

  const shutdown = (reason: string, exitCode: number): Promise<void> => {
    stopping ??= (async () => {
      log.info({ reason }, 'shutting down');
      for (const step of steps) {
        try {
          await Promise.race([
            step.run(),
            new Promise((_, reject) =>
              setTimeout(() => reject(new Error('timed out')), stepTimeoutMs).unref(),
            ),
          ]);
          log.info({ step: step.name }, 'stopped');
        } catch (error) {
          log.error({ err: error, step: step.name }, 'shutdown step failed');
          exitCode = exitCode || 1;
        }
      }
      log.info({ exitCode }, 'bye');
      process.exit(exitCode);
    })();
    return stopping;
  };

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) {
        log.warn({ signal }, 'second signal: exiting now');
        process.exit(1);
      }
      void shutdown(signal, 0);
    });
  }
  return { shutdown };
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeIdleConnections();
  });
}

export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

export interface StartedService {
  stop(): Promise<void>;
  logger: Logger;
}

/**
 * Runs a service from its entry point: starts it, stops it in order on SIGTERM/SIGINT, and exits
 * non-zero when it cannot start or when one of its consumers gives up (`onFatal`), so that the
 * supervisor restarts it.
 */
export function runService(
  name: string,
  start: (onFatal: (error: unknown) => void) => Promise<StartedService>,
): void {
  let shutdown: ((reason: string, exitCode: number) => Promise<void>) | undefined;
  const onFatal = () => {
    if (shutdown) void shutdown('a consumer gave up', 1);
    else process.exit(1);
  };
  start(onFatal)
    .then(({ stop, logger }) => {
      shutdown = onShutdown(logger, [{ name, run: stop }]).shutdown;
    })
    .catch((error) => {
      process.stderr.write(`${name} failed to start: ${String(error)}\n`);
      process.exit(1);
    });
}

#!/usr/bin/env node
/**
 * The composition root and the `pullguard` command: reads argv and the environment, loads the config, starts the
 * command. The only module that touches `process`.
 */
import { homedir } from 'node:os';
import { basename } from 'node:path';
import { inspect } from 'node:util';
import { failureLine } from './cli/failure-line.js';
import { loadConfigFile } from './cli/load-config-file.js';
import { parseFlags } from './cli/parse-flags.js';
import { EXIT_FAILURE, EXIT_USAGE } from './errors/error-codes.js';
import { PullguardError } from './errors/pullguard-error.js';
import { UsageError } from './errors/usage-error.js';

const USAGE = `Usage:
  pullguard serve [--config FILE] [--dev]              run the admission webhook (HTTPS 8443, health/metrics 8080);
                                                       --dev first generates development certificates
  pullguard check -f FILE|DIR|- [-f ...] [--config FILE] [--offline] [-o text|json] [--platform linux/amd64,...] [--kubeconfig FILE]
  pullguard diagnose (pod/NAME | TYPE/NAME | -A) [-n NS] [--kubeconfig FILE] [--context NAME] [-o text|json]
                                                       explain pods already failing to pull (also: kubectl pullguard diagnose)
  pullguard scan [-n NS | -A] [-l SELECTOR] [--kubeconfig FILE] [--context NAME] [-o text|json]
                                                       find running workloads whose images would fail on the next pull
                                                       (also: kubectl pullguard scan)
  pullguard certs [--service NAME] [--namespace NS] [--out DIR] [--days N] [--san DNS-or-IP ...] [--manifests]
  pullguard certs --secret NAME [--patch-webhook NAME] [--service NAME] [--namespace NS] [--days N] [--san ...]
                  [--kubeconfig FILE] [--context NAME]  keep or write the certificates in a kubernetes.io/tls Secret
The config file can also be given with PULLGUARD_CONFIG.`;

/** Installed twice: as `pullguard`, and as `kubectl-pullguard` so kubectl runs it as the plugin `kubectl pullguard`. */
const PROGRAM: 'pullguard' | 'kubectl pullguard' =
  basename(process.argv[1] ?? '').replace(/\.js$/, '') === 'kubectl-pullguard' ? 'kubectl pullguard' : 'pullguard';

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return serve(rest);
    case 'certs': {
      // Subcommands load their modules on demand: `serve` never holds node-forge in memory.
      const { certsCli } = await import('./cli/certs-cli.js');
      return certsCli(rest, {
        stdout: (line) => process.stdout.write(`${line}\n`),
        env: process.env,
        homeDir: homedir(),
        cwd: process.cwd(),
      });
    }
    case 'diagnose': {
      const { diagnoseCli } = await import('./cli/diagnose-cli.js');
      return diagnoseCli(rest, clusterCommandIo());
    }
    case 'scan': {
      const { scanCli } = await import('./cli/scan-cli.js');
      return scanCli(rest, clusterCommandIo());
    }
    case 'check': {
      const { checkCli } = await import('./cli/check-cli.js');
      return checkCli(rest, {
        stdout: process.stdout,
        stderr: process.stderr,
        stdin: process.stdin,
        env: process.env,
        homeDir: homedir(),
        cwd: process.cwd(),
      });
    }
    case '--version':
      process.stdout.write('pullguard 0.1.0\n');
      return 0;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? EXIT_USAGE : 0;
    default:
      throw new UsageError(`unknown command "${command}"; see ${PROGRAM} --help`);
  }
}

/** What `diagnose` and `scan` take from the process; Ctrl-C aborts their signal, so they stop with one line. */
function clusterCommandIo() {
  const interrupted = new AbortController();
  process.once('SIGINT', () => interrupted.abort());
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    homeDir: homedir(),
    cwd: process.cwd(),
    program: PROGRAM,
    signal: interrupted.signal,
  };
}

async function serve(argv: string[]): Promise<number> {
  const values = parseFlags('serve', argv, { config: { type: 'string' }, dev: { type: 'boolean' } });
  const config = await loadConfigFile(values.config ?? process.env['PULLGUARD_CONFIG']);
  // Imported here so `check` and `certs` do not pay for loading fastify and the server.
  const { runServe } = await import('./cli/serve-command.js');
  const server = await runServe({
    config,
    dev: values.dev ?? false,
    ...(process.env['LOG_LEVEL'] ? { logLevel: process.env['LOG_LEVEL'] } : {}),
    drainDelayMs: Number(process.env['PULLGUARD_DRAIN_DELAY_MS'] ?? 0) || 0,
    env: process.env,
    homeDir: homedir(),
  });
  const stop = (signal: string): void => {
    server.logger.info({ signal }, 'signal received');
    server.shutdown().then(
      () => process.exit(0),
      (error: unknown) => {
        server.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  return new Promise<number>(() => {}); // runs until a signal
}

// `pullguard check -o json | head` closes stdout early: that is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${PROGRAM}: ${failureLine(error)}\n`);
    // PULLGUARD_DEBUG=1 adds the stack and the cause chain, for a bug report.
    if (process.env['PULLGUARD_DEBUG'] === '1') process.stderr.write(`${inspect(error)}\n`);
    process.exitCode = error instanceof PullguardError ? error.exitCode : EXIT_FAILURE;
  },
);

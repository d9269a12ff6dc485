/**
 * `pullguard check` (docs/design.md §4.2): the webhook's engine and config on local manifests, for CI and pre-commit
 * hooks. Flags in; manifests loaded, reviewed and rendered; an exit code out: 0 all allowed (warnings included), 1
 * something would be denied, 2 a usage or input error. An input that cannot be read is reported, with its file, line
 * and column, and every other input is still checked; the exit code is the worst of all.
 */
import { join, resolve } from 'node:path';
import { runPipeline, type PipelineItem } from '../check/check-pipeline.js';
import { checkRecords } from '../check/check-records.js';
import { CHECK_USAGE, parseCheckOptions, type CheckOptions } from '../check/check-options.js';
import { checkedKinds, classifyDocument } from '../check/classify-document.js';
import { loadManifests } from '../check/load-manifests.js';
import { itemRecords } from '../check/output-records.js';
import { createProgress } from '../check/progress.js';
import { createJsonWriter } from '../check/render-json.js';
import { createTextWriter, identityLabel } from '../check/render-text.js';
import { reviewTarget, type CheckedObject } from '../check/run-checks.js';
import type { Config } from '../config/load-config.js';
import { composeEngine, type Engine } from './compose-engine.js';
import { failureLine, reportFailure } from './failure-line.js';
import { loadConfigFile } from './load-config-file.js';

export interface CheckOutput {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** Everything the command needs from its process, passed in by main.ts (and by tests). */
export interface CheckIo {
  readonly stdout: CheckOutput;
  readonly stderr: CheckOutput;
  readonly stdin: AsyncIterable<unknown>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homeDir: string;
  readonly cwd: string;
}

export const EXIT_ALLOWED = 0;
export const EXIT_DENIED = 1;
export const EXIT_INPUT_ERROR = 2;

/**
 * Runs the command. Any failure is printed as one line (docs/errors.md) and becomes exit code 2, whatever the error's
 * own exit code: 1 here means "would be denied", and a pipeline must never mistake a check that could not finish, a
 * bug included, for a verdict. `PULLGUARD_DEBUG=1` adds an unexpected error's stack.
 */
export async function checkCli(argv: readonly string[], io: CheckIo): Promise<number> {
  try {
    return await runCheck(argv, io);
  } catch (error) {
    reportFailure(io, 'pullguard', error);
    return EXIT_INPUT_ERROR;
  }
}

async function runCheck(argv: readonly string[], io: CheckIo): Promise<number> {
  const options = parseCheckOptions(argv, io.env);
  if (options.help) {
    io.stdout.write(`${CHECK_USAGE}\n`);
    return EXIT_ALLOWED;
  }
  const config = await loadConfigFile(
    options.configPath === undefined ? undefined : resolve(io.cwd, options.configPath),
  );
  const catalog = checkedKinds(config);
  const output = options.output === 'json' ? jsonOutput(io) : textOutput(io, options);
  const engine = lazyEngine(options, io, config);
  let inputErrors = 0;
  let invalid = false;
  let denied = false;
  try {
    await runPipeline(loadManifests({ sources: options.sources, cwd: io.cwd, stdin: io.stdin }), {
      classify: (document) => classifyDocument(document, catalog),
      review: async (target) =>
        reviewTarget(target, { reviewer: (await engine.get()).reviewer, budgetMs: config.network.budgetMs }),
      onItem: (item) => {
        if (item.type === 'error') inputErrors += 1;
        if (item.type === 'checked') {
          const { outcome } = item.checked;
          invalid ||= outcome.status === 'invalid';
          denied ||= outcome.status === 'reviewed' && outcome.decision.verdict === 'deny';
        }
        output.item(item);
      },
    });
  } catch (error) {
    try {
      output.abort();
    } catch {
      // stdout itself may be what failed: the error to report is the first one.
    }
    throw error;
  } finally {
    await engine.close();
  }
  output.finish(inputErrors);
  if (inputErrors > 0 || invalid) return EXIT_INPUT_ERROR;
  return denied ? EXIT_DENIED : EXIT_ALLOWED;
}

/** Where each item goes as it comes: stderr for notes and input errors, stdout for the records or the text. */
interface CheckSink {
  item(item: PipelineItem): void;
  finish(inputErrors: number): void;
  /** The run failed (exit 2, said on stderr): whatever was written stays well-formed, without a summary. */
  abort(): void;
}

function jsonOutput(io: CheckIo): CheckSink {
  const json = createJsonWriter((text) => io.stdout.write(text));
  return {
    item(item) {
      // stdout holds only records, so every note and error is also said on stderr.
      for (const line of itemNotes(item, true)) io.stderr.write(`${line}\n`);
      json.write(itemRecords(item));
    },
    finish: () => json.finish(),
    abort: () => json.finish(),
  };
}

function textOutput(io: CheckIo, options: CheckOptions): CheckSink {
  const text = createTextWriter((chunk) => io.stdout.write(chunk), {
    color: io.stdout.isTTY === true && !io.env['NO_COLOR'],
    offline: options.offline,
  });
  // Lines appear as objects are done; the counter is for a terminal waiting on output sent elsewhere.
  const progress = createProgress(io.stderr, { enabled: io.stdout.isTTY !== true });
  let done = 0;
  return {
    item(item) {
      for (const line of itemNotes(item, false)) io.stderr.write(`${line}\n`);
      if (item.type !== 'checked') return;
      text.write(item.checked, checkRecords([item.checked]));
      progress.update((done += 1));
    },
    finish(inputErrors) {
      progress.finish();
      text.finish(inputErrors);
    },
    abort: () => progress.finish(),
  };
}

/** What stderr says about an item: an input that could not be read, a skipped document, and in JSON mode objects. */
function itemNotes(item: PipelineItem, json: boolean): string[] {
  if (item.type === 'error') return [`pullguard: ${failureLine(item.error)}`];
  if (item.type === 'skip') return [`note: ${item.note}`];
  return json ? objectNotes(item.checked) : [];
}

/** The engine, composed when the first object needs it: a run with nothing to check starts none. */
function lazyEngine(
  options: CheckOptions,
  io: CheckIo,
  config: Config,
): { get(): Promise<Engine>; close(): Promise<void> } {
  let engine: Promise<Engine> | undefined;
  return {
    get: () =>
      (engine ??= composeEngine({
        config,
        offline: options.offline,
        extraDockerConfigs: [userDockerConfig(io)],
        // The cluster is read only when asked for: a CI job must not pick up whatever kubeconfig the runner has.
        kubernetes: options.kubeconfigPath !== undefined,
        ...(options.kubeconfigPath ? { kubeconfigPath: resolve(io.cwd, options.kubeconfigPath) } : {}),
        watchNodes: false,
        ...(options.platforms ? { platforms: options.platforms } : {}),
        env: io.env,
        homeDir: io.homeDir,
      })),
    async close() {
      // An engine that failed to compose has nothing to close; its error is already the run's.
      const composed = await engine?.catch(() => undefined);
      await composed?.close();
    },
  };
}

/** The user's Docker credentials, as `docker login` writes them: `$DOCKER_CONFIG/config.json` or `~/.docker/config.json` (may be absent). */
function userDockerConfig(io: CheckIo): string {
  const directory = io.env['DOCKER_CONFIG'] ? resolve(io.cwd, io.env['DOCKER_CONFIG']) : join(io.homeDir, '.docker');
  return join(directory, 'config.json');
}

/** In JSON mode stdout holds only records, so skipped and malformed objects are reported on stderr. */
function objectNotes({ target, outcome }: CheckedObject): string[] {
  const where = `${target.file}:${target.line}: ${identityLabel({ target })}`;
  if (outcome.status === 'skipped') return [`note: ${where} skipped: ${outcome.reason}`];
  if (outcome.status === 'invalid') return [`pullguard: ${where}: ${outcome.problem}`];
  return [];
}

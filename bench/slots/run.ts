// npm run bench:slots -- --scale N --json FILE [--runs R] [--baseline-runs B] [--skip-generate]
//                        [--baseline-only] [--scenario NAME[,NAME]] [--size F] [--seed S] [--now ISO]
//
// Opens PostgreSQL when DATABASE_URL is set, else an in-memory PGlite; migrates; generates the
// scale-N data set; then, per scenario, times Créneau's use cases (R runs) and the
// RDV-Service-Public-style baseline (B runs, on the first B inputs), checks that both return
// the same slots on every baseline input, prints a markdown table and writes the JSON report.
// Exits with status 1 on any difference. See bench/README.md.

import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { openDatabase, redactUrl } from '../../src/platform/db/database.js';
import { migrate } from '../../src/platform/db/migrator.js';
import { RdvspBaseline } from './baseline.js';
import type { SlotCalculator } from './calculator.js';
import { createCreneauCalculator } from './creneau-adapter.js';
import { BENCH_NOW, BENCH_SEED, DEPARTEMENTS, generateDataset } from './generate.js';
import { Prng } from './prng.js';
import { SCENARIOS, SCENARIO_NAMES, describeDifference, type ScenarioInput } from './scenarios.js';

interface Timings {
  readonly p50_ms: number;
  readonly p95_ms: number;
  readonly max_ms: number;
  readonly runs: number;
}

interface ScenarioReport {
  p50_ms: number | null;
  p95_ms: number | null;
  max_ms: number | null;
  runs: number;
  baseline_p95_ms: number | null;
  speedup_p95: number | null;
  baseline_p50_ms: number | null;
  baseline_max_ms: number | null;
  baseline_runs: number;
  baseline_queries_per_run: number | null;
  compared_inputs: number;
  mismatches: number;
  mean_results_per_input: number | null;
  empty_result_inputs: number;
}

const WARMUP_RUNS = 3;

function positiveInteger(text: string | undefined, fallback: number, option: string): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${option} expects a non-negative integer, got ${text}`);
  return value;
}

/** Nearest-rank percentile of sorted durations. */
function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))] ?? Number.NaN;
}

function summarise(durations: readonly number[]): Timings | null {
  if (durations.length === 0) return null;
  const sorted = [...durations].sort((a, b) => a - b);
  const round = (ms: number): number => Math.round(ms * 100) / 100;
  return {
    p50_ms: round(percentile(sorted, 0.5)),
    p95_ms: round(percentile(sorted, 0.95)),
    max_ms: round(sorted.at(-1) ?? Number.NaN),
    runs: sorted.length,
  };
}

async function timed(input: ScenarioInput, calculator: SlotCalculator): Promise<{ ms: number; keys: ReadonlySet<string> }> {
  const started = performance.now();
  const keys = await input.run(calculator);
  return { ms: performance.now() - started, keys };
}

function format(ms: number | null): string {
  if (ms === null) return '–';
  return ms >= 100 ? ms.toFixed(0) : ms.toFixed(2);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string', default: '1' },
      json: { type: 'string' },
      runs: { type: 'string' },
      'baseline-runs': { type: 'string' },
      'skip-generate': { type: 'boolean', default: false },
      'baseline-only': { type: 'boolean', default: false },
      scenario: { type: 'string' },
      size: { type: 'string' },
      seed: { type: 'string' },
      now: { type: 'string' },
    },
    strict: true,
  });
  const scale = positiveInteger(values.scale, 1, '--scale');
  const runs = positiveInteger(values.runs, 200, '--runs');
  const baselineRuns = positiveInteger(values['baseline-runs'], 50, '--baseline-runs');
  const seed = positiveInteger(values.seed, BENCH_SEED, '--seed');
  const size = values.size === undefined ? 1 : Number(values.size);
  if (!(size > 0 && size <= 1)) throw new Error('--size expects a fraction in (0, 1]');
  const now = values.now === undefined ? BENCH_NOW : new Date(values.now);
  if (Number.isNaN(now.getTime()) || now.getUTCSeconds() !== 0 || now.getUTCMilliseconds() !== 0) {
    throw new Error('--now expects a whole-minute ISO instant, e.g. 2027-02-15T08:00:00Z');
  }
  const baselineOnly = values['baseline-only'];
  const selected = values.scenario === undefined ? [...SCENARIO_NAMES] : values.scenario.split(',');
  for (const name of selected) {
    if (!(SCENARIO_NAMES as readonly string[]).includes(name)) throw new Error(`Unknown scenario ${name} (known: ${SCENARIO_NAMES.join(', ')})`);
  }
  if (!baselineOnly && runs < baselineRuns) throw new Error('--runs must be at least --baseline-runs (the baseline inputs are compared)');

  const databaseUrl = process.env.DATABASE_URL === undefined || process.env.DATABASE_URL === '' ? undefined : process.env.DATABASE_URL;
  const handle = await openDatabase({ databaseUrl, dataDir: 'memory://', poolSize: 10 });
  const { db } = handle;
  try {
    const creneau = baselineOnly ? null : createCreneauCalculator(db);
    const baseline = new RdvspBaseline(db);
    console.log(`Backend: ${handle.backend}${databaseUrl === undefined ? ' (in memory)' : ` ${redactUrl(databaseUrl)}`}`);
    const migrated = await migrate(db);
    if (migrated.length > 0) console.log(`Migrated: ${migrated.join(', ')}`);

    let generationMs: number | null = null;
    if (!values['skip-generate']) {
      console.log(`Generating scale ${scale}${size === 1 ? '' : ` (size ${size})`}, seed ${seed}, now ${now.toISOString()}…`);
      const report = await generateDataset(db, { scale, size, seed, now, log: (line) => {
          console.log(line);
        },
      });
      generationMs = report.elapsedMs;
      console.log(
        `Generated in ${(report.elapsedMs / 1000).toFixed(1)} s: ` +
          Object.entries(report.counts)
            .map(([table, count]) => `${count} ${table}`)
            .join(', '),
      );
    }
    const numbers = DEPARTEMENTS.slice(0, scale).map((departement) => departement.number);
    const territories = await db.selectFrom('territories').select(['id', 'departement_number']).where('departement_number', 'in', numbers).execute();
    if (territories.length !== numbers.length) throw new Error(`Scale ${scale} data is missing: run without --skip-generate`);
    const territoryIds = territories.map((territory) => territory.id).sort((a, b) => a - b);

    const reports: Record<string, ScenarioReport> = {};
    let failures = 0;
    const rng = new Prng(seed ^ 0x5eed);
    for (const scenario of SCENARIOS) {
      const scenarioRng = rng.fork(SCENARIO_NAMES.indexOf(scenario.name) + 1);
      if (!selected.includes(scenario.name)) continue;
      const timedOnly = scenario.timedOnly === true;
      if (timedOnly && baselineOnly) continue;
      const inputCount = (timedOnly ? runs : Math.max(baselineOnly ? 0 : runs, baselineRuns)) + WARMUP_RUNS;
      const inputs = await scenario.draw(db, scenarioRng, { territoryIds, now }, inputCount);
      const warmups = inputs.slice(0, WARMUP_RUNS);
      const measured = inputs.slice(WARMUP_RUNS);
      console.log(`\n${scenario.name}: ${scenario.description}`);

      const creneauDurations: number[] = [];
      const creneauResults: ReadonlySet<string>[] = [];
      if (creneau !== null) {
        for (const input of warmups) await input.run(creneau);
        for (const [index, input] of measured.slice(0, runs).entries()) {
          const { ms, keys } = await timed(input, creneau);
          creneauDurations.push(ms);
          if (index < baselineRuns) creneauResults.push(keys);
        }
      }

      const baselineDurations: number[] = [];
      let resultCount = 0;
      let emptyInputs = 0;
      let mismatches = 0;
      const firstWarmup = warmups[0];
      if (firstWarmup !== undefined && !timedOnly) await firstWarmup.run(baseline);
      const queriesBefore = baseline.queryCount;
      for (const [index, input] of (timedOnly ? [] : measured.slice(0, baselineRuns)).entries()) {
        const { ms, keys } = await timed(input, baseline);
        baselineDurations.push(ms);
        resultCount += keys.size;
        if (keys.size === 0) emptyInputs += 1;
        const creneauKeys = creneauResults[index];
        if (creneauKeys !== undefined) {
          const difference = describeDifference(creneauKeys, keys);
          if (difference !== null) {
            mismatches += 1;
            console.error(`  ✗ MISMATCH on ${input.label}\n  ${difference}`);
          }
        }
        if (process.stdout.isTTY) process.stdout.write(`\r  baseline ${index + 1}/${baselineRuns}`);
      }
      if (process.stdout.isTTY) process.stdout.write('\n');
      failures += mismatches;

      const ours = summarise(creneauDurations);
      const theirs = summarise(baselineDurations);
      reports[scenario.name] = {
        p50_ms: ours?.p50_ms ?? null,
        p95_ms: ours?.p95_ms ?? null,
        max_ms: ours?.max_ms ?? null,
        runs: ours?.runs ?? 0,
        baseline_p95_ms: theirs?.p95_ms ?? null,
        speedup_p95: ours !== null && theirs !== null ? Math.round((theirs.p95_ms / Math.max(ours.p95_ms, 0.01)) * 10) / 10 : null,
        baseline_p50_ms: theirs?.p50_ms ?? null,
        baseline_max_ms: theirs?.max_ms ?? null,
        baseline_runs: theirs?.runs ?? 0,
        baseline_queries_per_run: baselineDurations.length === 0 ? null : Math.round((baseline.queryCount - queriesBefore) / baselineDurations.length),
        compared_inputs: Math.min(creneauResults.length, baselineDurations.length),
        mismatches,
        mean_results_per_input: baselineDurations.length === 0 ? null : Math.round((resultCount / baselineDurations.length) * 10) / 10,
        empty_result_inputs: emptyInputs,
      };
      const report = reports[scenario.name];
      console.log(
        `  Créneau p95 ${format(report?.p95_ms ?? null)} ms, baseline p50 ${format(report?.baseline_p50_ms ?? null)} / p95 ${format(
          report?.baseline_p95_ms ?? null,
        )} ms, ${report?.baseline_queries_per_run ?? '–'} queries/run, ${report?.mean_results_per_input ?? '–'} results/input` +
          (creneau === null ? '' : `, ${report?.compared_inputs ?? 0} inputs compared, ${mismatches} mismatches`),
      );
    }

    const versionRow = await sql<{ version: string }>`SELECT version() AS version`.execute(db);
    const machine = {
      cpu: os.cpus()[0]?.model ?? 'unknown',
      cores: os.cpus().length,
      memory_gb: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      database: (versionRow.rows[0]?.version ?? '').split(' on ')[0] ?? '',
    };
    console.log(`\nScale ${scale}, ${handle.backend}; ${machine.cpu}, ${machine.cores} cores, ${machine.memory_gb} GB, Node ${machine.node}, ${machine.database}`);
    console.log('\n| scenario | p50 (ms) | p95 (ms) | max (ms) | runs | baseline p95 (ms) | speed-up (p95) |');
    console.log('|---|---:|---:|---:|---:|---:|---:|');
    for (const [name, report] of Object.entries(reports)) {
      console.log(
        `| ${name} | ${format(report.p50_ms)} | ${format(report.p95_ms)} | ${format(report.max_ms)} | ${report.runs} | ${format(
          report.baseline_p95_ms,
        )} (${report.baseline_runs} runs) | ${report.speedup_p95 === null ? '–' : `×${report.speedup_p95}`} |`,
      );
    }

    if (values.json !== undefined) {
      const json = {
        scale,
        backend: handle.backend,
        scenarios: reports,
        generation_ms: generationMs === null ? null : Math.round(generationMs),
        seed,
        now: now.toISOString(),
        size,
        baseline_only: baselineOnly,
        ok: failures === 0,
        machine,
      };
      await mkdir(path.dirname(path.resolve(values.json)), { recursive: true });
      await writeFile(values.json, `${JSON.stringify(json, null, 2)}\n`);
      console.log(`\nWrote ${values.json}`);
    }
    if (failures > 0) {
      console.error(`\n✗ ${failures} input(s) where Créneau and the baseline disagree (details above).`);
      return 1;
    }
    return 0;
  } finally {
    await handle.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Expected situations (bad option, data missing) need their message, not a stack.
    const expected = error instanceof Error && /--|data set/.test(error.message);
    console.error(error instanceof Error ? (expected ? error.message : (error.stack ?? error.message)) : String(error));
    process.exitCode = 1;
  },
);

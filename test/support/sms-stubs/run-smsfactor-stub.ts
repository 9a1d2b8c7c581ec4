/**
 * Runs the SMS Factor stub in its own process (light: counters and references only), for a test
 * that kills the worker and must keep the provider alive: `tsx test/support/sms-stubs/run-smsfactor-stub.ts`.
 * Prints one JSON line `{"url": …, "token": …}` once listening; read the counters at
 * `GET <url>/__stub/stats`; stops on SIGTERM or SIGINT.
 */
import { startSmsFactorStub } from './smsfactor-stub.js';

const stub = await startSmsFactorStub({ recordRequests: false });
process.stdout.write(`${JSON.stringify({ url: stub.url, token: stub.token })}\n`);

function stop(): void {
  void stub.close().then(() => process.exit(0));
}
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

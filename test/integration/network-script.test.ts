// The network entry script's promises to a user: idempotent `up`, a clear error for a busy port.
import { createServer, type Server } from 'node:net';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runNetScript } from '../support/script.js';

const pidFile = (name: string) =>
  resolve(process.env['AIAUDIT_DATA_DIR'] ?? join(repoRoot, '.data'), 'network/pids', `${name}.pid`);

describe('network/aiaudit-net.sh', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'aiaudit-net-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('says the network is already running and leaves the processes alone', () => {
    const before = ['orderer', 'peer-operator', 'peer-regulator'].map((n) => readFileSync(pidFile(n), 'utf8'));
    const run = runNetScript('up');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('already running');
    const after = ['orderer', 'peer-operator', 'peer-regulator'].map((n) => readFileSync(pidFile(n), 'utf8'));
    expect(after).toEqual(before);
  });

  it('reports every process as running with both peers on channel aiaudit and the chaincode committed', () => {
    const run = runNetScript('status');
    expect(run.status).toBe(0);
    for (const name of ['orderer', 'peer-operator', 'peer-regulator', 'chaincode-operator', 'chaincode-regulator']) {
      expect(run.stdout).toMatch(new RegExp(`${name}\\s+running`));
    }
    expect(run.stdout).toMatch(/operator\s+channels: aiaudit/);
    expect(run.stdout).toMatch(/regulator\s+channels: aiaudit/);
    expect(run.stdout).toMatch(/Name: aiaudit, Version: \w+, Sequence: \d+/);
  });

  it('refuses to start on a port in use and names the port', async () => {
    const server: Server = createServer();
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const run = runNetScript('up', { AIAUDIT_DATA_DIR: scratch, ORDERER_PORT: String(port) });
      expect(run.status).not.toBe(0);
      expect(run.stderr).toContain(`port ${port} (orderer) is already in use`);
    } finally {
      server.close();
    }
  });

  it('refuses to clean while a gateway runs on the data folder, and removes nothing', () => {
    mkdirSync(join(scratch, 'gateway'), { recursive: true });
    mkdirSync(join(scratch, 'network'), { recursive: true });
    writeFileSync(join(scratch, 'gateway', 'gateway.pid'), String(process.pid));
    const run = runNetScript('clean', { AIAUDIT_DATA_DIR: scratch });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('the gateway is running');
    expect(existsSync(join(scratch, 'network'))).toBe(true);
    rmSync(join(scratch, 'gateway', 'gateway.pid'));
    const again = runNetScript('clean', { AIAUDIT_DATA_DIR: scratch });
    expect(again.status).toBe(0);
    expect(existsSync(join(scratch, 'network'))).toBe(false);
    expect(existsSync(join(scratch, 'gateway'))).toBe(false);
  });

  it('does nothing on down for a data folder it never started', () => {
    const run = runNetScript('down', { AIAUDIT_DATA_DIR: scratch });
    expect(run.status).toBe(0);
    expect(run.stdout).not.toContain('stopped orderer');
  });
});

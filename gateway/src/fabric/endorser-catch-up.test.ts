import { describe, expect, it } from 'vitest';
import { EndorserCatchUp, type CatchUpOptions, type HeightReader } from './endorser-catch-up.js';

/** Peers whose heights follow a script: each read of a peer returns its next height (the last one repeats). */
function scriptedPeers(heights: Record<string, bigint[]>) {
  const reads: string[] = [];
  let clock = 0;
  const heightOf: HeightReader = async (mspId) => {
    reads.push(mspId);
    const script = heights[mspId];
    if (script === undefined) throw new Error(`peer ${mspId} unreachable`);
    return script.length > 1 ? (script.shift() as bigint) : (script[0] as bigint);
  };
  const options: CatchUpOptions = {
    sleep: async (ms) => {
      clock += ms;
    },
    now: () => clock,
    pollMs: 25,
    timeoutMs: 1_000,
  };
  return { reads, options, heightOf, elapsed: () => clock };
}

describe('EndorserCatchUp', () => {
  it('asks nothing before this gateway has committed a write', async () => {
    const peers = scriptedPeers({ RegulatorOrgMSP: [0n] });
    await new EndorserCatchUp(peers.options).wait(['RegulatorOrgMSP'], peers.heightOf);
    expect(peers.reads).toEqual([]);
  });

  it('waits until the other peer has committed the block of the previous write', async () => {
    const peers = scriptedPeers({ RegulatorOrgMSP: [11n, 11n, 12n] });
    const waits: unknown[] = [];
    const catchUp = new EndorserCatchUp({ ...peers.options, onWaited: (e) => waits.push(e) });
    catchUp.committed(11n); // block 11 → the peer needs height 12
    await catchUp.wait(['RegulatorOrgMSP'], peers.heightOf);
    expect(peers.reads).toHaveLength(3);
    expect(peers.elapsed()).toBe(50);
    expect(waits).toEqual([{ mspId: 'RegulatorOrgMSP', needed: 11n, height: 12n, waitedMs: 50, caughtUp: true }]);
  });

  it('does not read a peer again while its last known height is high enough', async () => {
    const peers = scriptedPeers({ RegulatorOrgMSP: [20n] });
    const catchUp = new EndorserCatchUp(peers.options);
    catchUp.committed(15n);
    await catchUp.wait(['RegulatorOrgMSP'], peers.heightOf);
    catchUp.committed(18n);
    catchUp.committed(17n); // an older block never lowers the mark
    await catchUp.wait(['RegulatorOrgMSP'], peers.heightOf);
    expect(catchUp.committedThrough).toBe(18n);
    expect(peers.reads).toEqual(['RegulatorOrgMSP']);
  });

  it('knows that the peer which reported a commit holds that block', async () => {
    const peers = scriptedPeers({ OperatorOrgMSP: [0n], RegulatorOrgMSP: [8n] });
    const catchUp = new EndorserCatchUp(peers.options);
    catchUp.committed(7n, 'OperatorOrgMSP');
    await catchUp.wait(['OperatorOrgMSP', 'RegulatorOrgMSP'], peers.heightOf);
    expect(peers.reads).toEqual(['RegulatorOrgMSP']);
  });

  it('gives up after the timeout and lets the endorsement answer', async () => {
    const peers = scriptedPeers({ RegulatorOrgMSP: [3n] });
    const waits: { caughtUp: boolean; waitedMs: number }[] = [];
    const catchUp = new EndorserCatchUp({ ...peers.options, onWaited: (e) => waits.push(e) });
    catchUp.committed(9n);
    await catchUp.wait(['RegulatorOrgMSP'], peers.heightOf);
    expect(waits).toEqual([expect.objectContaining({ caughtUp: false, waitedMs: 1_000 })]);
  });

  it('does not wait on a peer it cannot read', async () => {
    const peers = scriptedPeers({});
    const catchUp = new EndorserCatchUp(peers.options);
    catchUp.committed(2n);
    await catchUp.wait(['NowhereMSP'], peers.heightOf);
    expect(peers.reads).toEqual(['NowhereMSP']);
    expect(peers.elapsed()).toBe(0);
  });
});

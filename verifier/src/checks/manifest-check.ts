// Check (1): manifest.json is intact (manifest.sha256), parses, and names every file of the bundle with its SHA-256.
import { createHash } from 'node:crypto';
import { MANIFEST_DIGEST_FILE, MANIFEST_FILE, ManifestError, parseManifest, type Manifest } from '../bundle/layout.js';
import type { Findings } from '../report.js';

const sha256Hex = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

export interface ManifestCheckOptions {
  /** The manifest's SHA-256 as the gateway reported it when the export finished (pins the manifest). */
  expectedManifestSha256?: string | undefined;
}

/**
 * Checks the manifest and the file hashes; returns the parsed manifest, or undefined when it is unusable.
 * `read` holds the SHA-256 of files computed as they were read (readBundleHashed), so they are not hashed twice.
 */
export function checkManifest(files: ReadonlyMap<string, Buffer>, findings: Findings, options: ManifestCheckOptions = {}, read?: ReadonlyMap<string, Buffer>): Manifest | undefined {
  const sha256Of = (path: string, data: Buffer): string => read?.get(path)?.toString('hex') ?? sha256Hex(data);
  const bytes = files.get(MANIFEST_FILE);
  if (bytes === undefined) {
    findings.fail('manifest', `${MANIFEST_FILE} is missing from the bundle`);
    return undefined;
  }
  const actual = sha256Of(MANIFEST_FILE, bytes);
  const recorded = files.get(MANIFEST_DIGEST_FILE)?.toString('utf8').trim().split(/\s+/)[0];
  if (recorded === undefined) findings.fail('manifest', `${MANIFEST_DIGEST_FILE} is missing from the bundle`);
  else if (recorded !== actual) findings.fail('manifest', `${MANIFEST_FILE}: SHA-256 differs from ${MANIFEST_DIGEST_FILE} (the manifest was changed)`);
  const expected = options.expectedManifestSha256?.toLowerCase();
  if (expected !== undefined && expected !== actual) findings.fail('manifest', `${MANIFEST_FILE}: SHA-256 ${actual} is not the expected ${expected}`);

  let manifest: Manifest;
  try {
    manifest = parseManifest(bytes);
  } catch (err) {
    findings.fail('manifest', err instanceof ManifestError ? err.message : `${MANIFEST_FILE} cannot be read`);
    return undefined;
  }
  const listed = new Set<string>();
  for (const file of manifest.files) {
    if (listed.has(file.path)) findings.fail('manifest', `${file.path}: listed twice in the manifest`);
    listed.add(file.path);
    const data = files.get(file.path);
    if (data === undefined) {
      findings.fail('manifest', `${file.path}: listed in the manifest but missing from the bundle`);
      continue;
    }
    if (sha256Of(file.path, data) !== file.sha256) findings.fail('manifest', `${file.path}: SHA-256 differs from the manifest`);
    else if (data.length !== file.bytes) findings.fail('manifest', `${file.path}: size ${data.length} differs from the manifest's ${file.bytes}`);
  }
  for (const path of files.keys()) {
    if (path !== MANIFEST_FILE && path !== MANIFEST_DIGEST_FILE && !listed.has(path)) findings.fail('manifest', `${path}: in the bundle but not listed in the manifest`);
  }
  return manifest;
}

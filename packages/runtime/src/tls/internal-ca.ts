/**
 * @module tls/internal-ca: the local certificate authority (Caddy's pki "local" CA): a root and an
 * intermediate persisted under `pki/authorities/<id>/` in the data directory.
 */
import { readFileSync } from 'node:fs';
import { durationOr, type PkiCa, type PkiKeyPair } from '@proxy/contract';
import { ConfigError } from '../util/errors.js';
import { type Storage, withLock } from '../storage/storage.js';
import {
  certificateInfo,
  createIntermediate,
  createRoot,
  importSigner,
  issueForCsr,
  issueLeaf,
  type CheckedCsr,
  type KeyType,
  type PemPair,
  type Signer,
} from './x509.js';

const DAY = 86_400_000;
const ROOT_LIFETIME = 3650 * DAY;
const INTERMEDIATE_LIFETIME = 7 * DAY;

/** A loaded CA. */
export class InternalCa {
  private constructor(
    readonly id: string,
    readonly root: Signer,
    private intermediate: Signer,
    private readonly storage: Storage,
    private readonly cfg: PkiCa,
  ) {}

  /** The root certificate PEM (what clients must trust). */
  get rootPem(): string {
    return this.root.certPem;
  }

  /**
   * Loads the CA from storage, creating (and persisting) what is missing or expiring; with `create` false,
   * undefined instead of creating anything.
   */
  static async load(id: string, cfg: PkiCa, storage: Storage, create = true): Promise<InternalCa | undefined> {
    const dir = `pki/authorities/${id}`;
    const name = cfg.name ?? (id === 'local' ? 'Caddy Local Authority' : id);
    let root = cfg.root
      ? await loadConfiguredPair(cfg.root, `pki.certificate_authorities.${id}.root`)
      : await loadPair(storage, `${dir}/root.crt`, `${dir}/root.key`);
    if (!root) {
      if (!create) return undefined;
      root = await createRoot(
        cfg.root_common_name ?? `${name} - ${new Date().getUTCFullYear()} ECC Root`,
        ROOT_LIFETIME,
      );
      await storage.store(`${dir}/root.key`, root.keyPem);
      await storage.store(`${dir}/root.crt`, root.certPem);
    }
    const ca = new InternalCa(id, root, root, storage, cfg);
    const inter = await ca.loadIntermediate(name, create);
    if (!inter) return undefined;
    ca.intermediate = inter;
    return ca;
  }

  private async loadIntermediate(name: string, create = true): Promise<Signer | undefined> {
    if (this.cfg.intermediate)
      return loadConfiguredPair(this.cfg.intermediate, `pki.certificate_authorities.${this.id}.intermediate`);
    const dir = `pki/authorities/${this.id}`;
    let inter = await loadPair(this.storage, `${dir}/intermediate.crt`, `${dir}/intermediate.key`);
    if (inter) {
      const { notBefore, notAfter } = certificateInfo(inter.certPem);
      const ratio = this.cfg.renewal_window_ratio ?? 0.2;
      if (Date.now() > notAfter - (notAfter - notBefore) * ratio) inter = undefined;
    }
    if (!inter) {
      if (!create) return undefined;
      inter = await createIntermediate(
        this.cfg.intermediate_common_name ?? `${name} - ECC Intermediate`,
        this.root,
        durationOr(this.cfg.intermediate_lifetime, INTERMEDIATE_LIFETIME),
      );
      await this.storage.store(`${dir}/intermediate.key`, inter.keyPem);
      await this.storage.store(`${dir}/intermediate.crt`, inter.certPem);
    }
    return inter;
  }

  /** The lifetime new intermediates get (what a leaf's lifetime must stay under). */
  get intermediateLifetimeMs(): number {
    return durationOr(this.cfg.intermediate_lifetime, INTERMEDIATE_LIFETIME);
  }

  /** Issues a leaf for the names; the returned chain includes the intermediate unless signing with the root. */
  async issue(names: string[], lifetimeMs: number, signWithRoot = false, keyType: KeyType = 'p256'): Promise<PemPair> {
    await this.renewIntermediate();
    const signer = signWithRoot ? this.root : this.intermediate;
    const leaf = await issueLeaf(names, signer, lifetimeMs, keyType);
    return { certPem: signWithRoot ? leaf.certPem : leaf.certPem + this.intermediate.certPem, keyPem: leaf.keyPem };
  }

  /** Signs a certificate for a CSR's key (the ACME server's finalize); returns the PEM chain. */
  async issueForCsr(csr: CheckedCsr, names: string[], lifetimeMs: number, signWithRoot = false): Promise<string> {
    await this.renewIntermediate();
    const leaf = await issueForCsr(csr, names, signWithRoot ? this.root : this.intermediate, lifetimeMs);
    return signWithRoot ? leaf : leaf + this.intermediate.certPem;
  }

  // A long-running process outlives the 7-day intermediate: renew it like the CA maintenance loop does.
  private async renewIntermediate(): Promise<void> {
    if (this.cfg.intermediate || this.intermediate === this.root) return;
    const { notBefore, notAfter } = certificateInfo(this.intermediate.certPem);
    if (Date.now() > notAfter - (notAfter - notBefore) * (this.cfg.renewal_window_ratio ?? 0.2)) {
      // Locked: another instance sharing the storage may have renewed it already (loadIntermediate reads it first).
      this.intermediate = (await withLock(this.storage, `pki_ca_${this.id}`, () =>
        this.loadIntermediate(this.cfg.name ?? (this.id === 'local' ? 'Caddy Local Authority' : this.id)),
      ))!;
    }
  }
}

/** A CA key pair given in the pki app config (PEM files; P-256 keys). */
async function loadConfiguredPair(kp: PkiKeyPair, path: string): Promise<Signer> {
  if (kp.format && kp.format !== 'pem_file')
    throw ConfigError.at(`apps.${path}.format`, `key pair format "${kp.format}" is not supported yet (pem_file is)`);
  try {
    return await importSigner(readFileSync(kp.certificate ?? '', 'utf8'), readFileSync(kp.private_key ?? '', 'utf8'));
  } catch (e) {
    throw ConfigError.at(
      `apps.${path}`,
      `cannot load CA key pair (PEM files with a P-256 PKCS#8 key): ${(e as Error).message}`,
    );
  }
}

async function loadPair(storage: Storage, certKey: string, keyKey: string): Promise<Signer | undefined> {
  const [c, k] = (await Promise.all([storage.load(certKey), storage.load(keyKey)])).map((b) => b?.toString('utf8'));
  if (!c || !k) return undefined;
  try {
    const s = await importSigner(c, k);
    if (certificateInfo(c).notAfter < Date.now()) return undefined;
    return s;
  } catch {
    return undefined;
  }
}

const cache = new Map<string, Promise<InternalCa>>();

/** The CA for (storage, id), loaded once per process so reloads share it. */
export function getInternalCa(id: string, cfg: PkiCa, storage: Storage): Promise<InternalCa> {
  const key = `${storage.id}\0${id}\0${JSON.stringify(cfg)}`;
  let p = cache.get(key);
  if (!p) {
    // Creating is locked: instances sharing a storage that start together must not each create a different root.
    // Loading what exists is not (a read-only storage still works).
    p = InternalCa.load(id, cfg, storage, false).then(
      (ca) => ca ?? withLock(storage, `pki_ca_${id}`, async () => (await InternalCa.load(id, cfg, storage))!),
    );
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

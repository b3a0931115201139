/**
 * The engine's set-up is explicit: importing a module registers nothing, `registerAllProtocols()`
 * registers every protocol (fields, dissector tables, TCP consumers, media types) and calling it
 * again changes nothing; the filter compiler sets it up itself.
 */
import { describe, expect, it, vi } from 'vitest';

/** A fresh module graph: the field registry and the dissector tables as no one has touched them. */
async function freshModules() {
  vi.resetModules();
  const fields = await import('./fields');
  const context = await import('./context');
  const protocols = await import('./protocols');
  const media = await import('./protocols/media');
  return { fields, context, protocols, media };
}

function registrySizes(m: Awaited<ReturnType<typeof freshModules>>) {
  const t = m.context.dissectorTables;
  return {
    fields: m.fields.allFields().length,
    linkType: t.linkType.size,
    ethertype: t.ethertype.size,
    ipProto: t.ipProto.size,
    udpPort: t.udpPort.size,
    tcpConsumers: m.context.tcpPayloadConsumers.map((c) => c.name),
    mediaTypes: m.media.mediaTypeTable.size,
  };
}

describe('engine set-up', () => {
  it('compiles a filter in a fresh module graph where only the filter compiler was imported', async () => {
    vi.resetModules();
    const { lookupField } = await import('./fields');
    const { compileDisplayFilter } = await import('../filter/index');
    // Importing the compiler (and through it every protocol module) registered nothing…
    expect(lookupField('tcp.port')).toBeUndefined();
    // …compiling sets the engine up.
    const result = compileDisplayFilter('tcp.port == 80');
    expect(result.ok).toBe(true);
    expect(lookupField('tcp.port')?.name).toBe('Source or Destination Port');
  });

  it('registers every protocol once, however often it is called', async () => {
    const m = await freshModules();
    expect(m.fields.allFields()).toHaveLength(0);
    expect(m.context.dissectorTables.ipProto.size).toBe(0);
    m.protocols.registerAllProtocols();
    const once = registrySizes(m);
    expect(once.fields).toBeGreaterThan(800);
    expect(once.tcpConsumers).toEqual(['http', 'tls', 'ssh']);
    expect(m.context.dissectorTables.ipProto.get(6)?.name).toBe('TCP');
    expect(m.context.dissectorTables.udpPort.get(53)?.name).toBe('DNS');
    expect(m.media.mediaTypeTable.has('image/png')).toBe(true);

    expect(() => m.protocols.registerAllProtocols()).not.toThrow();
    // Each protocol again, past the "already done" check: nothing is added twice.
    for (const p of m.protocols.PROTOCOLS) m.protocols.registerProtocol(p);
    expect(registrySizes(m)).toEqual(once);
  });

  it('declares each expert item under its protocol, with fields the registry holds', async () => {
    const m = await freshModules();
    m.protocols.registerAllProtocols();
    let items = 0;
    for (const p of m.protocols.PROTOCOLS) {
      for (const infos of p.expertInfos ?? []) {
        for (const ei of Object.values(infos)) {
          items++;
          // …or one of Wireshark's generic items (`_ws.string.*`), raised for this protocol.
          const own = ei.abbrev.startsWith(p.name + '.') || (ei.abbrev.startsWith('_ws.') && ei.protocol === p.name);
          expect(own, `${ei.abbrev} in ${p.name}`).toBe(true);
          if (ei.field) expect(m.fields.lookupField(ei.field.abbrev), ei.abbrev).toBe(ei.field);
          // The item's own line has a registered field, for filters (`ip.ttl.too_small`).
          expect(m.fields.lookupField(ei.itemField.abbrev), ei.abbrev).toBe(ei.itemField);
        }
      }
    }
    expect(items).toBeGreaterThan(30);
  });
});

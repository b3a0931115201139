/**
 * MAC vendor names: the first lookups search the OUI text instead of building the whole table
 * (common.ts ouiVendor); the search must answer exactly what the table answers.
 */
import { describe, expect, it } from 'vitest';
import { ouiMap, resolveEther, searchOuiVendor } from './common';
import { OUI_DATA } from './oui-data';

describe('OUI vendor lookup', () => {
  it('the search gives the table entry of every OUI listed, and nothing for OUIs not listed', () => {
    const table = ouiMap();
    expect(table.size).toBeGreaterThan(1000);
    for (const [oui, vendor] of table) expect(searchOuiVendor(oui)).toEqual(vendor);
    // Not listed: every 997th OUI of the 24-bit space that the table lacks, and hex text that
    // only appears across two entries (misaligned) or in a vendor's name.
    for (let oui = 0; oui < 1 << 24; oui += 997) if (!table.has(oui)) expect(searchOuiVendor(oui)).toBeUndefined();
    const line = OUI_DATA.split('\n').find((l) => l.split('\t')[2]?.length >= 12) as string;
    const hex = line.split('\t')[2];
    const misaligned = parseInt(hex.slice(3, 9), 16);
    expect(searchOuiVendor(misaligned)).toEqual(table.get(misaligned));
  });

  it('gives the long name where manuf has one, else the short one (eth.*.oui_resolved)', () => {
    // /usr/share/wireshark/manuf (4.0.17): "00:00:00\t00:00:00\tOfficially Xerox, but 0:0:0:0:0:0 is
    // more common", "AA:00:04\tDecLocal\tDEC\t# Local logical address…", "00:10:18\tBroadcom".
    expect(searchOuiVendor(0x000000)).toEqual({
      short: '00:00:00',
      long: 'Officially Xerox, but 0:0:0:0:0:0 is more common',
    });
    expect(searchOuiVendor(0xaa0004)).toEqual({ short: 'DecLocal', long: 'DEC' });
    expect(searchOuiVendor(0x001018)).toEqual({ short: 'Broadcom', long: 'Broadcom' });
  });

  it('resolves addresses with the vendor name as Wireshark shows them', () => {
    const vmware = Uint8Array.of(0x00, 0x50, 0x56, 0xc0, 0x00, 0x08);
    expect(resolveEther(vmware, 0)).toBe('VMware_c0:00:08');
    expect(resolveEther(Uint8Array.of(0, 0, 0, 0, 0, 0), 0)).toBe('00:00:00_00:00:00');
    expect(resolveEther(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff), 0)).toBe('Broadcast');
  });
});

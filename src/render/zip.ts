import { crc32 } from "node:zlib";

/**
 * Zip archives (Word and PowerPoint packages) made the same for the same content and day:
 * the libraries that write them stamp the clock's time on every entry, and pptxgenjs in
 * docProps/core.xml too. Pure: bytes in, bytes out.
 */

const CENTRAL = 0x02014b50;
const END = 0x06054b50;

/** Each entry of the archive: where its central directory record and local header are, and its name. */
function entries(zip: Uint8Array, what: string): { at: number; local: number; name: string }[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let end = zip.length - 22;
  while (end >= 0 && view.getUint32(end, true) !== END) end--;
  if (end < 0) throw new Error(`${what}: the library wrote no zip archive`);
  const out: { at: number; local: number; name: string }[] = [];
  let at = view.getUint32(end + 16, true);
  for (let i = view.getUint16(end + 10, true); i > 0; i--) {
    if (view.getUint32(at, true) !== CENTRAL) throw new Error(`${what}: a broken zip archive`);
    const nameLength = view.getUint16(at + 28, true);
    const name = new TextDecoder().decode(zip.subarray(at + 46, at + 46 + nameLength));
    out.push({ at, local: view.getUint32(at + 42, true), name });
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return out;
}

/**
 * Every zip entry's modification time set to midnight of `date` (YYYY-MM-DD; MS-DOS date and
 * time, in the local header and the central directory), where the zip library writes the clock.
 */
export function stampZip(zip: Uint8Array, date: string, what: string): Uint8Array {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const dosDate = ((y - 1980) << 9) | (m << 5) | d;
  for (const { at, local } of entries(zip, what))
    for (const [time, day] of [
      [at + 12, at + 14],
      [local + 10, local + 12],
    ] as const) {
      view.setUint16(time, 0, true);
      view.setUint16(day, dosDate, true);
    }
  return zip;
}

/**
 * A stored (not compressed) entry's text replaced in place by `edit`, which must keep its
 * length in bytes (a time for a time); its checksum put right in both headers.
 */
export function editStored(
  zip: Uint8Array,
  name: string,
  edit: (text: string) => string,
  what: string,
): Uint8Array {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const entry = entries(zip, what).find((e) => e.name === name);
  if (!entry) throw new Error(`${what}: no ${name} in the archive`);
  const { at, local } = entry;
  if (view.getUint16(at + 10, true) !== 0) throw new Error(`${what}: ${name} is compressed`);
  const size = view.getUint32(at + 20, true);
  const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
  const edited = new TextEncoder().encode(edit(new TextDecoder().decode(zip.subarray(start, start + size))));
  if (edited.length !== size) throw new Error(`${what}: ${name} would change its length`);
  zip.set(edited, start);
  const crc = crc32(edited);
  view.setUint32(at + 16, crc, true);
  view.setUint32(local + 14, crc, true);
  return zip;
}

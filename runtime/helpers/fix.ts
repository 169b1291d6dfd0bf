// FIX and NVFIX message bodies.
//
// Byte layout (UTF-8 text), for each field in the order appended:
//
//   <tag> <keyValueSeparator> <value> <fieldSeparator>
//
// with `keyValueSeparator` = `=` and `fieldSeparator` = SOH (0x01) unless configured. Every field, the last one
// included, is followed by the field separator; nothing precedes the first field. FIX tags are non-negative
// decimal integers (`35=D\x0155=MSFT\x01`); NVFIX tags are arbitrary names (`Symbol=MSFT\x01Qty=100\x01`).
// Example, NVFIX fields (a, 1), (b, x=y):
//
//   61 3d 31 01 62 3d 78 3d 79 01        a=1<SOH>b=x=y<SOH>
//
// Shredders split on the field separator, skip empty fields (so a missing trailing separator or a doubled one is
// tolerated), and split each field at the FIRST key/value separator, so a value may contain `=` but a tag may
// not. A value may never contain the field separator; builders refuse such values rather than emit a message
// that would shred differently.

import { FieldFormatError } from './errors.js';

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8');

export const SOH = '\x01';

export type FieldValue = string | number | bigint | boolean;

function checkSeparators(fieldSeparator: string, keyValueSeparator: string): void {
  if (fieldSeparator.length === 0 || keyValueSeparator.length === 0) {
    throw new RangeError('FIX/NVFIX separators must be non-empty');
  }
  if (fieldSeparator.includes(keyValueSeparator) || keyValueSeparator.includes(fieldSeparator)) {
    throw new RangeError('FIX/NVFIX field and key/value separators must differ');
  }
}

abstract class FieldBuilder<Tag> {
  protected text = '';
  protected count = 0;
  readonly fieldSeparator: string;
  readonly keyValueSeparator: string;

  constructor(fieldSeparator: string, keyValueSeparator: string) {
    checkSeparators(fieldSeparator, keyValueSeparator);
    this.fieldSeparator = fieldSeparator;
    this.keyValueSeparator = keyValueSeparator;
  }

  protected abstract tagText(tag: Tag): string;

  /** Appends `tag=value` followed by the field separator. Returns this, for chaining. */
  append(tag: Tag, value: FieldValue): this {
    const t = this.tagText(tag);
    const v = String(value);
    if (v.includes(this.fieldSeparator)) {
      throw new FieldFormatError(`value of tag ${t} contains the field separator`, this.text.length);
    }
    this.text += t + this.keyValueSeparator + v + this.fieldSeparator;
    this.count++;
    return this;
  }

  /** Number of fields appended since construction or the last `reset()`. */
  get fieldCount(): number {
    return this.count;
  }

  /** The message as UTF-8 bytes (a fresh copy). */
  data(): Uint8Array {
    return utf8Encoder.encode(this.text);
  }

  /** The message as text. */
  toString(): string {
    return this.text;
  }

  /** Removes every field, keeping the separators. */
  reset(): this {
    this.text = '';
    this.count = 0;
    return this;
  }
}

/** Builds NVFIX (name/value) bodies: `append('Symbol', 'MSFT')` → `Symbol=MSFT\x01`. */
export class NVFIXBuilder extends FieldBuilder<string> {
  constructor(fieldSeparator = SOH, keyValueSeparator = '=') {
    super(fieldSeparator, keyValueSeparator);
  }

  protected tagText(tag: string): string {
    if (tag.length === 0) throw new FieldFormatError('NVFIX tag is empty', this.text.length);
    if (tag.includes(this.keyValueSeparator) || tag.includes(this.fieldSeparator)) {
      throw new FieldFormatError(`NVFIX tag ${JSON.stringify(tag)} contains a separator`, this.text.length);
    }
    return tag;
  }
}

/** Builds FIX bodies with numeric tags: `append(35, 'D')` → `35=D\x01`. */
export class FIXBuilder extends FieldBuilder<number> {
  constructor(fieldSeparator = SOH, keyValueSeparator = '=') {
    super(fieldSeparator, keyValueSeparator);
  }

  protected tagText(tag: number): string {
    if (!Number.isSafeInteger(tag) || tag < 0) {
      throw new FieldFormatError(`FIX tag ${tag} is not a non-negative integer`, this.text.length);
    }
    return String(tag);
  }
}

abstract class FieldShredder<Tag> {
  readonly fieldSeparator: string;
  readonly keyValueSeparator: string;

  constructor(fieldSeparator: string, keyValueSeparator: string) {
    checkSeparators(fieldSeparator, keyValueSeparator);
    this.fieldSeparator = fieldSeparator;
    this.keyValueSeparator = keyValueSeparator;
  }

  protected abstract parseTag(text: string, offset: number): Tag;

  /**
   * Every field in message order, duplicates included (FIX repeating groups need this). Throws
   * `FieldFormatError` for a non-empty field without a key/value separator or with an invalid tag.
   */
  toEntries(body: Uint8Array | string): Array<[Tag, string]> {
    const text = typeof body === 'string' ? body : utf8Decoder.decode(body);
    const out: Array<[Tag, string]> = [];
    const fs = this.fieldSeparator;
    const kv = this.keyValueSeparator;
    let at = 0;
    while (at < text.length) {
      let end = text.indexOf(fs, at);
      if (end < 0) end = text.length;
      if (end > at) {
        const eq = text.indexOf(kv, at);
        if (eq < 0 || eq >= end) {
          throw new FieldFormatError(`field ${JSON.stringify(text.slice(at, end))} has no key/value separator`, at);
        }
        out.push([this.parseTag(text.slice(at, eq), at), text.slice(eq + kv.length, end)]);
      }
      at = end + fs.length;
    }
    return out;
  }

  /** The fields as a map; when a tag repeats, the last value wins (as in the official clients). */
  toMap(body: Uint8Array | string): Map<Tag, string> {
    return new Map(this.toEntries(body));
  }
}

/** Shreds NVFIX bodies into name → value. */
export class NVFIXShredder extends FieldShredder<string> {
  constructor(fieldSeparator = SOH, keyValueSeparator = '=') {
    super(fieldSeparator, keyValueSeparator);
  }

  protected parseTag(text: string, offset: number): string {
    if (text.length === 0) throw new FieldFormatError('NVFIX field with an empty tag', offset);
    return text;
  }
}

/** Shreds FIX bodies into numeric tag → value. */
export class FIXShredder extends FieldShredder<number> {
  constructor(fieldSeparator = SOH, keyValueSeparator = '=') {
    super(fieldSeparator, keyValueSeparator);
  }

  protected parseTag(text: string, offset: number): number {
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
      throw new FieldFormatError(`FIX tag ${JSON.stringify(text)} is not a non-negative integer`, offset);
    }
    return Number(text);
  }
}

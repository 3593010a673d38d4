/**
 * Whether `value` is a plain object: made by a literal, `Object.create(null)` or `JSON.parse`, not a class
 * instance, array, `Map` or `Date`. What JSON checks, copies and deep merges treat as a record of members.
 */
export function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

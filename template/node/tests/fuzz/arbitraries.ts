// Hostile input for the property-based tests: text JSON can carry but a database cannot store
// as sent, path segments and query strings a client could put on the wire, bodies of any shape.
import fc from "fast-check";

// One UTF-16 code unit or grapheme: NUL and unpaired surrogates often, anything else too.
const textUnit = fc.oneof(
  fc.constantFrom("\u0000", "\ud800", "\udfff", " "),
  fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }),
);

// Text of up to 120 units: past the 100-character limits, with anything in it.
export const hostileText = fc.string({ unit: textUnit, maxLength: 120 });

// Text a database would store as sent, sometimes, so that some inputs get through validation.
export const someText = fc.oneof(fc.string({ unit: "grapheme", maxLength: 110 }), hostileText);

// Addresses of the plain form sign-up accepts. fc.emailAddress() goes further (any character
// RFC 5322 allows), and sign-up refuses most of its addresses.
export const plainEmail = fc
  .tuple(
    fc.stringMatching(/^[a-z0-9][a-z0-9_+-]{0,63}$/),
    fc.array(fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,62}$/), { minLength: 1, maxLength: 5 }),
  )
  .map(([local, labels]) => `${local}@${labels.join(".")}.com`);

// Every byte percent-encoded: what a URL can carry. Text goes as UTF-8, so an unpaired
// surrogate arrives as U+FFFD; raw bytes may be invalid UTF-8.
function percentEncoded(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => `%${byte.toString(16).padStart(2, "0")}`).join("");
}

// A path segment or query value: numbers of every size and form, text, stray escapes.
export const urlValue = fc.oneof(
  fc.integer().map(String),
  fc.maxSafeInteger().map(String),
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map(String),
  fc.double().map(String),
  hostileText.map((text) => percentEncoded(Buffer.from(text, "utf8"))),
  fc.uint8Array({ maxLength: 8 }).map(percentEncoded),
  fc.stringMatching(/^[%0-9A-Za-z._~+-]{1,8}$/),
);

// A query string of page, size and other parameters, repeated or not.
export const pagingQuery = fc
  .array(fc.tuple(fc.constantFrom("page", "size", "page[]", "other"), urlValue), { maxLength: 4 })
  .map((pairs) => pairs.map(([name, value]) => `${name}=${value}`).join("&"));

// What a client may send as a user: each field valid, hostile or of the wrong type; valid
// often enough that hostile text in one field gets past the others to the database.
export const userFields = fc.record({
  email: fc.oneof({ arbitrary: plainEmail, weight: 3 }, fc.emailAddress(), hostileText, fc.jsonValue()),
  fullName: fc.oneof({ arbitrary: someText, weight: 3 }, fc.jsonValue()),
  password: fc.oneof({ arbitrary: fc.constant("correct-horse-battery"), weight: 2 }, someText, fc.jsonValue()),
});

// A request body as sent: JSON of a user or of anything else, or text that is not JSON.
export const jsonBody = fc.oneof(
  { arbitrary: userFields.map((fields) => JSON.stringify(fields)), weight: 3 },
  fc.jsonValue({ stringUnit: textUnit, maxDepth: 3 }).map((value) => JSON.stringify(value)),
  hostileText,
);

/**
 * Schemas of the JSON a registry or token server sends us (untrusted input): validated here, trusted after.
 * Unknown fields are allowed everywhere, as the specs require clients to ignore them.
 */
import Type, { type Static } from 'typebox';
import { Compile } from 'typebox/compile';

/** Distribution token spec response (`docs/spec/auth/token.md`). */
const TokenResponseSchema = Type.Object({
  token: Type.Optional(Type.String()),
  access_token: Type.Optional(Type.String()),
  expires_in: Type.Optional(Type.Number()),
  issued_at: Type.Optional(Type.String()),
});

/** Error body of the distribution spec: `{"errors":[{"code":…,"message":…,"detail":…}]}`. */
const ErrorBodySchema = Type.Object({
  errors: Type.Array(Type.Object({ code: Type.String(), message: Type.Optional(Type.Unknown()) }), { maxItems: 100 }),
});

const PlatformSchema = Type.Object({
  os: Type.String(),
  architecture: Type.String(),
  variant: Type.Optional(Type.String()),
});

/** OCI image index / Docker manifest list: only what the platform check needs. */
const IndexSchema = Type.Object({
  mediaType: Type.Optional(Type.String()),
  manifests: Type.Array(
    Type.Object({
      mediaType: Type.Optional(Type.String()),
      digest: Type.String(),
      platform: Type.Optional(PlatformSchema),
    }),
    { maxItems: 10_000 },
  ),
});

const TagListSchema = Type.Object({
  name: Type.Optional(Type.String()),
  tags: Type.Union([Type.Array(Type.String(), { maxItems: 100_000 }), Type.Null()]),
});

export type TokenResponse = Static<typeof TokenResponseSchema>;
export type ErrorBody = Static<typeof ErrorBodySchema>;
export type IndexBody = Static<typeof IndexSchema>;
export type TagList = Static<typeof TagListSchema>;

const tokenResponse = Compile(TokenResponseSchema);
const errorBody = Compile(ErrorBodySchema);
const indexBody = Compile(IndexSchema);
const tagList = Compile(TagListSchema);

/** Parses JSON bytes and checks them against a compiled schema; undefined when either fails. */
function parseWith<T>(check: (value: unknown) => boolean, bytes: Buffer | undefined): T | undefined {
  if (bytes === undefined || bytes.length === 0) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  return check(value) ? (value as T) : undefined;
}

export const parseTokenResponse = (bytes: Buffer | undefined) =>
  parseWith<TokenResponse>((v) => tokenResponse.Check(v), bytes);
export const parseIndexBody = (bytes: Buffer | undefined) => parseWith<IndexBody>((v) => indexBody.Check(v), bytes);
export const parseTagList = (bytes: Buffer | undefined) => parseWith<TagList>((v) => tagList.Check(v), bytes);

/** The distribution error codes of an error body (upper-cased), or [] when there is none or it is not the spec shape. */
export function errorCodes(bytes: Buffer | undefined): string[] {
  const body = parseWith<ErrorBody>((v) => errorBody.Check(v), bytes);
  return body ? body.errors.map((e) => e.code.toUpperCase()) : [];
}

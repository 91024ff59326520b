/**
 * Store URLs, without the driver: a command can tell and name a PostgreSQL store without
 * loading it (the driver and the adapter load only when a store opens).
 */

/** The schema that holds the tables when the URL names none. */
export const schemaDefault = "civic";
/** Lower-case identifiers only: a schema name is spliced into SQL, so nothing needs quoting. */
const schemaNamePattern = /^[a-z_][a-z0-9_]{0,62}$/;

export type PostgresLocation = Readonly<{ url: string; schema: string }>;

/**
 * Splits a store URL (`postgres://user@host:5432/database?schema=civic`) into what the driver
 * reads and the schema, which it does not know. Every other parameter goes to the driver.
 */
export function parsePostgresUrl(text: string): PostgresLocation {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`not a PostgreSQL URL: '${redactUrl(text)}'`);
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    throw new Error(
      `a PostgreSQL URL starts with postgres:// or postgresql://, not ${url.protocol}`,
    );
  }
  const schema = url.searchParams.get("schema") ?? schemaDefault;
  checkSchemaName(schema);
  url.searchParams.delete("schema");
  return { url: url.toString(), schema };
}

export function isPostgresUrl(text: string): boolean {
  return /^postgres(ql)?:\/\//.test(text);
}

export function checkSchemaName(schema: string): void {
  if (!schemaNamePattern.test(schema)) {
    throw new Error(`schema name '${schema}' must match ${schemaNamePattern}`);
  }
}

/** Parameters of a connection URL that hold a secret, as the driver reads them. */
const secretParameters = ["password", "sslpassword"];

/**
 * The URL without its secrets, for messages and logs: the password of its user part and of its
 * parameters (`?password=`), also when the text is not a valid URL.
 */
export function redactUrl(text: string): string {
  try {
    const url = new URL(text);
    if (url.password) url.password = "***";
    for (const name of secretParameters) {
      if (url.searchParams.has(name)) url.searchParams.set(name, "***");
    }
    return url.toString();
  } catch {
    return text
      .replace(/:[^:@/]*@/, ":***@")
      .replace(new RegExp(`([?&](?:${secretParameters.join("|")})=)[^&#]*`, "gi"), "$1***");
  }
}

import { RemovalPolicy } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

export interface DatabaseUserSecretProps {
  /** The database user the secret is for (letters, digits, underscores; at most 32). */
  readonly username: string;
  readonly description: string;
  /** Characters never put in the password (e.g. URI delimiters for a mongodb:// URL). @default - none but quotes, slash, backslash, at */
  readonly excludeCharacters?: string;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * `{ "username", "password" }` for a least-privilege database user that the migration run
 * creates (app/src/database/database-users.ts). The secret only holds the login; the user and
 * its grants exist once the first deploy's migration task ran.
 */
export class DatabaseUserSecret extends Construct {
  readonly secret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: DatabaseUserSecretProps) {
    super(scope, id);
    if (!/^[A-Za-z0-9_]{1,32}$/.test(props.username)) {
      throw new Error(`${this.node.path}: username '${props.username}' must be 1-32 letters, digits or underscores`);
    }
    this.secret = new secretsmanager.Secret(this, 'Resource', {
      description: props.description,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ username: props.username }),
        generateStringKey: 'password',
        passwordLength: 32,
        excludeCharacters: props.excludeCharacters ?? '"@/\\\'',
      },
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
  }
}
